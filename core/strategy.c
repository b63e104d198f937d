/* The table of strategies the user can pick by name. Replay is internal:
 * `weft replay` selects it. */
#include "strategy.h"

#include <string.h>
#include <xxhash.h>

static const struct weft_strategy_ops *const strategies[] = {
	&weft_strategy_auto,
	&weft_strategy_dfs,
	&weft_strategy_dpor,
	&weft_strategy_bounded,
	&weft_strategy_delay,
	&weft_strategy_bounded_dpor,
	&weft_strategy_pct,
	&weft_strategy_pos,
	&weft_strategy_random,
};

const struct weft_strategy_ops *weft_strategy_find(const char *name)
{
	for (size_t i = 0; i < sizeof strategies / sizeof strategies[0]; i++)
		if (strcmp(strategies[i]->name, name) == 0)
			return strategies[i];
	return NULL;
}

const char *weft_strategy_names(void)
{
	return "auto, dfs, dpor, bounded, delay, bounded-dpor, pct, pos, random";
}

uint64_t weft_execution_seed(uint64_t base, uint64_t index)
{
	return XXH64(&index, sizeof index, base);
}
