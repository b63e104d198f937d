/* The explorer as a library: run a program over and over under a strategy's
 * plans until the space is done, a budget runs out or a bug shows up, and
 * describe what was found. No global state, no exit(): the weft command and
 * the in-process API both drive it through weft_explore(). */
#ifndef WEFT_EXPLORE_H
#define WEFT_EXPLORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "exec_model.h"
#include "protocol.h"
#include "unseen.h"

#define WEFT_DEFAULT_MAX_STEPS 10000000
#define WEFT_DEFAULT_HANG_TIMEOUT 10.0
#define WEFT_NO_MAX_BOUND UINT32_MAX

struct weft_config {
	char *const *argv;   /* program and its arguments */
	const char *program; /* the file to execute (argv[0] resolved), or NULL for argv[0] */
	const char *runtime_path;
	const char *strategy;    /* "auto" (default): DPOR first */
	uint64_t max_executions; /* 0 = no limit */
	double time_limit;       /* seconds, 0 = no limit */
	uint32_t max_steps;
	double hang_timeout; /* seconds without a scheduling step */
	bool show_output;    /* let the target write to our stdout/stderr */
	bool progress;       /* live progress line on stderr */
	bool fork_server;    /* fork each execution from a server stopped before main */
	/* virtual time and the surprises POSIX allows (replays must repeat them) */
	bool adversarial_time;     /* --time=adversarial */
	uint32_t spurious_wakeups; /* --spurious-wakeups: bound per execution, 0 = none */
	int64_t time_start_ns;     /* --time-start: CLOCK_REALTIME at the start, 0 = default */
	/* --yield-at: functions wrapped at run time (yieldspec.h), each with
	 * its text as given, which the replay command repeats */
	const struct weft_wrap_spec *wrapped;
	char *const *wrapped_text;
	uint32_t nwrapped;
	/* In-process executions (weft_check): instead of starting a program,
	 * fork and call launch(launch_arg, region) in the child; it never
	 * returns. argv then only names the check in reports. */
	void (*launch)(void *arg, struct weft_shm *shm);
	void *launch_arg;
	/* Instead (weft_check with fibers): fork once and call launch_serve,
	 * a fork server on the explorer's pipes (interpose/forkserver.c) whose
	 * children run the scenario; it never returns. */
	void (*launch_serve)(void *arg, struct weft_shm *shm, int control, int status_fd);
	const char *check_name; /* weft_check's name of the scenario, for replay */
	/* randomised strategies */
	uint64_t seed; /* base seed of the run; see has_seed */
	bool has_seed;
	uint32_t pct_depth; /* PCT's d (default 3) */
	uint32_t max_bound; /* bounded, delay: last bound to explore, or WEFT_NO_MAX_BOUND */
	bool keep_going;    /* go on after a bug; report each distinct bug once */
	bool no_shrink;     /* keep reproductions as found */
	/* replay: run exactly this schedule once */
	const struct weft_choice *replay;
	uint32_t replay_len;
	bool is_replay;
	/* --shard K/N: explore only part K of N of the space (shard.c) */
	uint32_t shard_index, shard_count; /* count 0 or 1: unsharded */
	bool fingerprints; /* keep the distinct traces' fingerprints in the result */
	uint32_t worker;   /* -j: 1 + this worker's number (picks its CPU), 0 alone */
	/* --race-points: accesses that raced, as scheduling points from the
	 * start ("MODULE:OFFSET,...", race_points.h); NULL: none */
	const char *race_points;
	/* --threads=fiber (WEFT_THREADS): the program's threads run as fibers */
	bool fiber_threads;
};

void weft_config_defaults(struct weft_config *config);

/* Everything about one buggy execution that a report needs. */
struct weft_bug {
	enum weft_bug_kind kind;
	char message[WEFT_MESSAGE_LEN * 2];
	uint64_t execution; /* 1-based number of the execution */
	char *token;
	struct weft_shm *snapshot; /* copy of the exchange header (threads, objects, modules) */
	struct weft_event *events;
	uint32_t nevents;
	int exit_status; /* -1 when killed by a signal */
	int signal;
	char *output;         /* tail of what the target wrote to stdout and stderr, as written */
	uint64_t signature;   /* same kind and call sites: same bug (bugs.c) */
	uint64_t occurrences; /* executions that showed it (--keep-going) */
	bool shrunk;          /* a smaller reproduction replaced the one found first */
	/* The callers of each step's call site, WEFT_STACK_DEPTH per step
	 * (weft_shm_stacks), or NULL when the execution kept no stacks. */
	uint64_t *stacks;
	char *race_points;    /* the accesses that were scheduling points, or NULL */
};

#define WEFT_MAX_DISTINCT_BUGS 64

/* How far an iterative bounded search (bounded, delay) got. */
struct weft_bound_reached {
	const char *kind;    /* what the bound counts: "preemption", "delay"; NULL: no bound */
	int64_t explored;    /* every schedule with at most this many was explored; -1: none yet */
	int64_t in_progress; /* the bound being explored when the run stopped; -1: none */
};

enum weft_verdict {
	WEFT_VERDICT_OK = 0,
	WEFT_VERDICT_BUG = 1,
	WEFT_VERDICT_ERROR = 2,
};

struct weft_result {
	enum weft_verdict verdict;
	/* every interleaving was explored, and weft saw all the ways the
	 * threads communicate (see unseen) */
	bool complete;
	const char *stop_reason; /* why exploration stopped */
	uint64_t executions;
	double elapsed_seconds;
	struct weft_bug *bug; /* the first of bugs[] */
	struct weft_bug *bugs[WEFT_MAX_DISTINCT_BUGS];
	uint32_t nbugs;
	uint32_t shrink_runs; /* executions spent making reproductions smaller */
	uint64_t distinct_traces; /* executions with different happens-before orders */
	bool never_controlled;    /* no execution made a call weft controls */
	char error[1024]; /* for WEFT_VERDICT_ERROR */
	char coverage[1024]; /* what the strategy covered, when it says ("" if nothing) */
	struct weft_bound_reached bound; /* kind NULL unless the strategy is bounded */
	uint64_t seed;      /* the base seed a randomised strategy used */
	bool seeded;
	uint64_t skipped_executions; /* sharded: run to find another shard's subtrees */
	uint64_t *fingerprints;      /* sorted, with config->fingerprints or sharded */
	uint64_t nfingerprints;
	/* every interleaving of the operations weft sees was explored (what
	 * complete means when unseen has something) */
	bool seen_complete;
	struct weft_unseen unseen; /* what weft could not see */
	int interrupted; /* SIGINT or SIGTERM ended the run early (interrupt.h), or 0 */
	struct weft_exec_models models; /* how the executions' processes started */
};

int weft_explore(const struct weft_config *config, struct weft_result *result);
void weft_result_free(struct weft_result *result);
/* The run stops because of the interruption weft_interrupted() reports. */
void weft_explore_note_interrupt(struct weft_result *result);

/* Names from the tables. */
const char *weft_op_name(unsigned op);
const char *weft_bug_kind_name(unsigned kind);
const char *weft_bug_kind_meaning(unsigned kind);

#endif
