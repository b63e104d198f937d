/* weft: exhaustive concurrency unit tests.
 *
 * weft_check() explores the interleavings of a scenario: `body` creates and
 * joins its own threads (pthreads, C11 threads, C++ std::thread); weft runs
 * it once per interleaving of their synchronisation calls, each time in a
 * fresh child process, and returns the verdict. A failure prints a report
 * with the interleaving and the command that replays it.
 *
 *     static void scenario(void *arg) { ... create threads, join them, check ... }
 *
 *     int main(void)
 *     {
 *             struct weft_options options = WEFT_OPTIONS_INIT;
 *             options.name = "counter";
 *             return weft_check(scenario, NULL, &options, NULL) == WEFT_OK ? 0 : 1;
 *     }
 *
 * Link with -lweft (no LD_PRELOAD needed). Every option left at zero takes
 * its value from the environment (WEFT_STRATEGY, WEFT_MAX_EXECUTIONS,
 * WEFT_TIME_LIMIT, WEFT_MAX_STEPS, WEFT_HANG_TIMEOUT, WEFT_TIME,
 * WEFT_SPURIOUS_WAKEUPS), so a CI job can turn a budget up without
 * recompiling; WEFT_REPLAY=TOKEN with WEFT_CHECK=NAME replays one failure.
 */
#ifndef WEFT_H
#define WEFT_H

#ifdef __cplusplus
extern "C" {
#endif

enum weft_check_verdict {
	WEFT_OK = 0,    /* no bug found */
	WEFT_BUG = 1,   /* a bug was found (or replayed) */
	WEFT_ERROR = 2, /* weft could not explore (bad option, unsupported call...) */
};

enum weft_time_mode {
	WEFT_TIME_DEFAULT = 0, /* from WEFT_TIME, else normal */
	WEFT_TIME_NORMAL,
	WEFT_TIME_ADVERSARIAL, /* sleeping threads may also wake at any step */
};

struct weft_options {
	const char *name;                  /* names this check for replay and reports */
	const char *strategy;              /* "dfs", "dpor", ...; NULL: WEFT_STRATEGY or default */
	unsigned long long max_executions; /* 0: WEFT_MAX_EXECUTIONS or no limit */
	double time_limit;                 /* seconds; 0: WEFT_TIME_LIMIT or no limit */
	unsigned max_steps;                /* 0: WEFT_MAX_STEPS or 10000000 */
	double hang_timeout;               /* seconds; 0: WEFT_HANG_TIMEOUT or 10 */
	enum weft_time_mode time;
	unsigned spurious_wakeups; /* 0: WEFT_SPURIOUS_WAKEUPS or none */
	int quiet;                 /* no report on stderr (the result still says it all) */
};

#define WEFT_OPTIONS_INIT {0}

struct weft_result_summary {
	enum weft_check_verdict verdict;
	/* every interleaving was explored, and weft saw every way the threads
	 * communicate (a body built with -fsanitize=thread) */
	int complete;
	unsigned long long executions;
	double elapsed_seconds;
	char kind[32];      /* bug kind ("deadlock", ...) or "" */
	char message[1024]; /* headline of the bug, or the error */
	char token[4096];   /* replay token of the bug, or "" */
	/* every interleaving of the operations weft sees was explored: all that
	 * a body not built with -fsanitize=thread can claim */
	int complete_seen;
};

/* Explore `body(arg)`; fill `result` when it is not NULL. */
enum weft_check_verdict weft_check(void (*body)(void *), void *arg,
                                   const struct weft_options *options,
                                   struct weft_result_summary *result);

/* A value in [0, n), explored like a schedule choice (n <= 64). Outside
 * weft_check and weft run it returns 0. */
unsigned weft_choose(unsigned n);

/* An extra scheduling point: other threads may run here. */
void weft_yield(void);

/* Fail the execution with a message when cond is false (an "assertion" bug
 * under weft; a message and abort() otherwise). */
#define weft_assert(cond, ...) \
	((cond) ? (void)0 : weft_assert_fail(#cond, __FILE__, __LINE__, __VA_ARGS__))
void weft_assert_fail(const char *cond, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5), noreturn));

#ifdef __cplusplus
}
#endif

#endif
