/* Unit test of the bounded strategies (bounded: preemptions, delay: delays)
 * without any process. A simulated program (threads that each take a
 * fixed number of steps, optionally each step sequence one critical
 * section of a shared lock) follows a strategy's plans and then its policy
 * as the runtime does. The oracle enumerates every schedule of the same
 * program and counts its preemptions and delays one step at a time, so
 * that with --max-bound B a strategy must run exactly S(0) + ... + S(B)
 * executions, S(b) being the schedules that cost at most b, and be
 * complete exactly when S(B) is all of them. The round-robin helpers of
 * protocol.h are checked against a plain loop over the order too. */
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

#define MAX_STEPS 64
#define MAX_COST 32

struct sim {
	int nthreads;
	int steps[8];
	bool locked;
};

struct state {
	int left[8], holder;
};

static uint64_t enabled_set(const struct sim *sim, const struct state *st)
{
	uint64_t enabled = 0;
	for (int t = 0; t < sim->nthreads; t++)
		if (st->left[t] &&
		    !(sim->locked && st->left[t] == sim->steps[t] && st->holder >= 0))
			enabled |= 1ull << t;
	return enabled;
}

static void take_step(const struct sim *sim, struct state *st, int t)
{
	if (sim->locked && st->left[t] == sim->steps[t])
		st->holder = t;
	if (--st->left[t] == 0 && st->holder == t)
		st->holder = -1;
}

/* The thread after `last` in round-robin order, written as the loop the
 * definition is, not with protocol.h's bit rotation. */
static int next_in_order(uint64_t enabled, uint32_t last)
{
	uint32_t first = last < 64 ? last : 0;
	for (uint32_t i = 0; i < 64; i++)
		if (enabled & (1ull << ((first + i) % 64)))
			return (int)((first + i) % 64);
	return -1;
}

static uint32_t delays_of(uint64_t enabled, uint32_t last, int t)
{
	uint32_t first = last < 64 ? last : 0, k = 0;
	for (uint32_t i = 0; (first + i) % 64 != (uint32_t)t; i++)
		k += (enabled >> ((first + i) % 64)) & 1;
	return k;
}

/* One execution under a plan, then the policy; the events as the runtime
 * records them. */
static uint32_t run_sim(const struct sim *sim, const struct weft_plan *plan,
                        struct weft_event *events)
{
	struct state st = {.holder = -1};
	memcpy(st.left, sim->steps, sizeof st.left);
	uint32_t pos = 0, n = 0, last = UINT32_MAX;
	for (uint64_t enabled; (enabled = enabled_set(sim, &st)) != 0; n++) {
		int t;
		if (pos < plan->len && plan->choices[pos].step == n)
			t = (int)plan->choices[pos++].thread;
		else if (plan->policy == WEFT_POLICY_ROUND_ROBIN)
			t = next_in_order(enabled, last);
		else if (plan->policy == WEFT_POLICY_STICKY && last < 64 && (enabled >> last & 1))
			t = (int)last;
		else
			t = __builtin_ctzll(enabled);
		if (!(enabled >> t & 1)) {
			fprintf(stderr, "FAIL the plan chose a disabled thread\n");
			failures++;
			return n;
		}
		take_step(sim, &st, t);
		events[n] = (struct weft_event){
			.thread = (uint16_t)t,
			.flags = (enabled & (enabled - 1)) ? WEFT_EVENT_CHOICE : 0,
			.enabled = enabled};
		last = (uint32_t)t;
	}
	return n;
}

/* Every schedule from st on: histogram of their costs. */
static void enumerate(const struct sim *sim, struct state st, uint32_t last, bool delays,
                      uint32_t cost, unsigned long long *histogram)
{
	uint64_t enabled = enabled_set(sim, &st);
	if (!enabled) {
		histogram[cost < MAX_COST ? cost : MAX_COST - 1]++;
		return;
	}
	for (int t = 0; t < sim->nthreads; t++) {
		if (!(enabled >> t & 1))
			continue;
		uint32_t c = delays ? delays_of(enabled, last, t)
		                    : last < 64 && (enabled >> last & 1) && (uint32_t)t != last;
		struct state next = st;
		take_step(sim, &next, t);
		enumerate(sim, next, (uint32_t)t, delays, cost + c, histogram);
	}
}

/* Executions of `name` with --max-bound max_bound; *complete as the run says. */
static unsigned long long count(const char *name, const struct sim *sim, uint32_t max_bound,
                                bool *complete)
{
	const struct weft_strategy_ops *ops = weft_strategy_find(name);
	struct weft_config config;
	weft_config_defaults(&config);
	config.max_bound = max_bound;
	void *state = ops->create(&config);
	struct weft_choice choices[MAX_STEPS];
	struct weft_event events[MAX_STEPS];
	struct weft_plan plan = {.choices = choices, .cap = MAX_STEPS};
	unsigned long long executions = 0;
	for (;;) {
		plan.policy = WEFT_POLICY_LOWEST;
		if (!ops->next_plan(state, &plan))
			break;
		struct weft_trace trace = {.events = events};
		trace.nevents = run_sim(sim, &plan, events);
		ops->observe(state, &trace);
		executions++;
	}
	*complete = ops->stopped_short(state) == NULL;
	ops->destroy(state);
	return executions;
}

/* Both kinds, every --max-bound up to the one that completes, against the
 * oracle. */
static void check(const char *what, const struct sim *sim)
{
	for (int kind = 0; kind < 2; kind++) {
		bool delays = kind == 1;
		unsigned long long histogram[MAX_COST] = {0}, all = 0;
		struct state st = {.holder = -1};
		memcpy(st.left, sim->steps, sizeof st.left);
		enumerate(sim, st, UINT32_MAX, delays, 0, histogram);
		for (int b = 0; b < MAX_COST; b++)
			all += histogram[b];
		unsigned long long within = 0, total = 0;
		for (uint32_t b = 0; b < MAX_COST; b++) {
			within += histogram[b];
			total += within;
			bool complete;
			char name[96];
			snprintf(name, sizeof name, "%s, %s --max-bound %u", what,
			         delays ? "delay" : "bounded", b);
			const char *strategy = delays ? "delay" : "bounded";
			EXPECT_EQ(name, count(strategy, sim, b, &complete), total);
			EXPECT_EQ(name, complete, within == all);
			if (within == all)
				break;
		}
	}
}

/* One case by hand: `name` with --max-bound b runs `want` executions. */
static void expect(const char *name, const struct sim *sim, uint32_t b, unsigned long long want,
                   bool want_complete)
{
	bool complete;
	char what[96];
	snprintf(what, sizeof what, "%s %dx%d --max-bound %u", name, sim->nthreads, sim->steps[0],
	         b);
	EXPECT_EQ(what, count(name, sim, b, &complete), want);
	EXPECT_EQ(what, complete, want_complete);
}

int main(void)
{
	/* protocol.h's round-robin helpers against the loops above, for every
	 * set of the threads 0-3 and 60-63 and every last thread among them. */
	for (uint64_t bits = 1; bits < 256; bits++) {
		uint64_t enabled = (bits & 15) | (bits >> 4) << 60;
		uint32_t lasts[] = {UINT32_MAX, 0, 1, 2, 3, 60, 61, 62, 63};
		for (size_t i = 0; i < sizeof lasts / sizeof lasts[0]; i++) {
			uint32_t last = lasts[i];
			EXPECT_EQ("weft_round_robin_next", weft_round_robin_next(enabled, last),
			          (unsigned)next_in_order(enabled, last));
			for (uint32_t t = 0; t < 64; t++) {
				if (!(enabled >> t & 1))
					continue;
				uint32_t got = weft_round_robin_delays(enabled, last, t);
				uint32_t want = delays_of(enabled, last, (int)t);
				EXPECT_EQ("weft_round_robin_delays", got, want);
			}
		}
	}

	/* By hand: three threads of one step each, all enabled at the start.
	 * Each thread exits after its step, so every switch follows an exit:
	 * no schedule has a preemption, and preemption bound 0 is all 6.
	 * Delays (order from T0, then from the thread that just exited):
	 * 012: 0; 021: 1 (T2 skips T1); 120: 1 (T1 skips T0, then T2 and T0
	 * come in order); 102: 2 (T1 skips T0; after T1, T0 comes after T2);
	 * 201: 2 (T2 skips T0 and T1); 210: 3. S = 1, 3, 5, 6: the runs
	 * take 1, 1 + 3, 1 + 3 + 5 and, complete, 1 + 3 + 5 + 6 executions. */
	struct sim three = {3, {1, 1, 1}, false};
	expect("bounded", &three, 0, 6, true);
	expect("delay", &three, 0, 1, false);
	expect("delay", &three, 1, 4, false);
	expect("delay", &three, 2, 9, false);
	expect("delay", &three, 3, 15, true);
	expect("delay", &three, WEFT_NO_MAX_BOUND, 15, true);

	/* Against the oracle. */
	check("2x1", &(struct sim){2, {1, 1}, false});
	check("2x3", &(struct sim){2, {3, 3}, false});
	check("3x2", &(struct sim){3, {2, 2, 2}, false});
	check("2+3+1", &(struct sim){3, {2, 3, 1}, false});
	check("4x1", &(struct sim){4, {1, 1, 1, 1}, false});
	check("3 locked sections of 2", &(struct sim){3, {2, 2, 2}, true});
	check("3 locked sections of 3", &(struct sim){3, {3, 3, 3}, true});
	check("4 locked sections of 2", &(struct sim){4, {2, 2, 2, 2}, true});
	if (failures)
		return 1;
	printf("test_bounded: all passed\n");
	return 0;
}
