/* The table of strategies the user can pick by name. Replay is internal:
 * `weft replay` selects it. */
#include "strategy.h"

#include <string.h>

static const struct weft_strategy_ops *const strategies[] = {
	&weft_strategy_dfs,
	&weft_strategy_dpor,
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
	return "dfs, dpor";
}
