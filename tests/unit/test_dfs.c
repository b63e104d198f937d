/* Unit test of the DFS strategy without any process: a simulated program
 * (threads that each take a fixed number of steps, optionally sharing one
 * lock) produces traces the way the runtime does, following the strategy's
 * plans; the number of executions must be exactly the number of leaves of
 * the choice tree, counted independently here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strategy.h"

static int failures;

#define EXPECT_EQ(what, got, want)                                                           \
	do {                                                                                 \
		unsigned long long g_ = (got), w_ = (want);                                  \
		if (g_ != w_) {                                                              \
			fprintf(stderr, "FAIL %s: got %llu, want %llu\n", what, g_, w_);     \
			failures++;                                                          \
		}                                                                            \
	} while (0)

#define MAX_STEPS 256

/* threads[i] steps; when `locked`, every thread's steps form one critical
 * section: step 0 locks (blocked while another holds it), the last step
 * unlocks. */
struct sim {
	int nthreads;
	int steps[8];
	bool locked;
};

static uint32_t run_sim(const struct sim *sim, const struct weft_plan *plan,
                        struct weft_event *events)
{
	int left[8], holder = -1;
	memcpy(left, sim->steps, sizeof left);
	uint32_t pos = 0, n = 0;
	for (;;) {
		uint64_t enabled = 0;
		for (int t = 0; t < sim->nthreads; t++) {
			if (!left[t])
				continue;
			bool first = left[t] == sim->steps[t];
			if (sim->locked && first && holder >= 0)
				continue;
			enabled |= 1ull << t;
		}
		if (!enabled)
			return n;
		int t = __builtin_ctzll(enabled);
		if (pos < plan->len && plan->choices[pos].step == n)
			t = (int)plan->choices[pos++].thread;
		if (!(enabled & (1ull << t))) {
			fprintf(stderr, "FAIL plan chose a disabled thread\n");
			failures++;
			return n;
		}
		if (sim->locked && left[t] == sim->steps[t])
			holder = t;
		if (--left[t] == 0 && holder == t)
			holder = -1;
		events[n] = (struct weft_event){.thread = (uint16_t)t,
		                                .flags = (enabled & (enabled - 1)) ? WEFT_EVENT_CHOICE
		                                                                   : 0,
		                                .enabled = enabled};
		n++;
	}
}

static unsigned long long count(const struct sim *sim)
{
	const struct weft_strategy_ops *ops = weft_strategy_find("dfs");
	struct weft_config config;
	weft_config_defaults(&config);
	void *state = ops->create(&config);
	struct weft_choice choices[MAX_STEPS];
	struct weft_event events[MAX_STEPS];
	struct weft_plan plan = {.choices = choices, .cap = MAX_STEPS};
	unsigned long long executions = 0;
	while (ops->next_plan(state, &plan)) {
		struct weft_trace trace = {.events = events};
		trace.nevents = run_sim(sim, &plan, events);
		ops->observe(state, &trace);
		executions++;
	}
	ops->destroy(state);
	return executions;
}

static unsigned long long factorial(int n)
{
	return n <= 1 ? 1 : (unsigned long long)n * factorial(n - 1);
}

int main(void)
{
	/* One thread: no choice at all. */
	EXPECT_EQ("one thread", count(&(struct sim){1, {5}, false}), 1);
	/* Independent threads: every interleaving of their steps, the
	 * multinomial (sum k)! / prod k!. */
	EXPECT_EQ("2x1", count(&(struct sim){2, {1, 1}, false}), 2);
	EXPECT_EQ("2x2", count(&(struct sim){2, {2, 2}, false}), 6);
	EXPECT_EQ("3x2", count(&(struct sim){3, {2, 2, 2}, false}), factorial(6) / 8);
	EXPECT_EQ("2+3", count(&(struct sim){2, {2, 3}, false}), 10);
	/* Whole critical sections of N threads: only the order of the
	 * sections varies once a thread holds the lock, but before that any
	 * thread may take the lock: N! orders. */
	for (int n = 2; n <= 5; n++) {
		struct sim s = {n, {0}, true};
		for (int i = 0; i < n; i++)
			s.steps[i] = 2;
		char what[32];
		snprintf(what, sizeof what, "%d locked sections", n);
		/* With 2-step sections a thread that holds the lock runs alone
		 * only if nobody else is enabled: the others are blocked on the
		 * lock, so the tree has exactly N! leaves. */
		EXPECT_EQ(what, count(&s), factorial(n));
	}
	if (failures)
		return 1;
	printf("test_dfs: all passed\n");
	return 0;
}
