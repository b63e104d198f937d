/* The exchange between the explorer and the runtime: one shared-memory
 * region per target, handed over by file descriptor (WEFT_SHM_FD). The
 * explorer writes the plan before an execution; the runtime writes the trace,
 * the threads' states and the outcome while it runs, so a crash of the target
 * loses nothing. Nothing is sent per step. This header is the whole protocol;
 * a change to its layout or to what a field's values mean (a new policy)
 * must bump WEFT_PROTOCOL_VERSION. */
#ifndef WEFT_PROTOCOL_H
#define WEFT_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#define WEFT_SHM_MAGIC 0x31746665775f7777ull /* "ww_weft1" */
#define WEFT_PROTOCOL_VERSION 15

/* Bounds of one execution. Hitting one is reported with its name. */
#define WEFT_MAX_THREADS 64   /* threads created in one execution, main included */
#define WEFT_MAX_HELD 8       /* locks one thread holds at once, as reported */
#define WEFT_MAX_OBJECTS 4096 /* objects named in reports (more are modelled, unnamed) */
#define WEFT_MAX_MODULES 64   /* loaded objects used to place call sites */
#define WEFT_MESSAGE_LEN 512
#define WEFT_PATH_LEN 256
#define WEFT_MAX_WRAPPED 32      /* functions named with --yield-at */
#define WEFT_WRAP_MAX_ARGS 12    /* parameters of one of them */
#define WEFT_WRAP_NAME_LEN 512   /* a function name, NUL included (C++ mangled names run long) */
#define WEFT_MAX_UNSEEN_SITES 32 /* atomic instructions weft could not trap, named */
#define WEFT_MAX_RACE_POINTS 64  /* accesses that raced, made scheduling points */

/* What the runtime could not see in an execution (weft_shm.unseen). */
/* The program is not built with -fsanitize=thread: its threads may also
 * talk through plain memory and atomic loads (counted only with more than
 * one thread). */
#define WEFT_UNSEEN_MEMORY 1u
#define WEFT_UNSEEN_INSTRUCTIONS 2u /* atomic instructions found but not trapped */
#define WEFT_SPIN_FRAMES 16         /* frames of a livelocked spinner's stack */

/* The runtime ends an execution it judged itself (deadlock, misuse, livelock,
 * divergence, unsupported call) with this exit status, after writing the
 * outcome into the region. */
#define WEFT_RUNTIME_EXIT_STATUS 86

enum weft_op {
#define X(name, text, blocks) WEFT_OP_##name,
#include "ops.def"
#undef X
	WEFT_OP_COUNT
};

enum weft_bug_kind {
	WEFT_BUG_NONE = 0,
#define X(name, text, meaning) WEFT_BUG_##name,
#include "bugkinds.def"
#undef X
	WEFT_BUG_COUNT
};

enum weft_thread_status {
	WEFT_THREAD_UNUSED = 0,
	WEFT_THREAD_LIVE,    /* running or waiting for its turn */
	WEFT_THREAD_BLOCKED, /* its pending operation cannot proceed (filled in at the end) */
	WEFT_THREAD_EXITED,
};

/* Object kinds, for names in reports ("mutex#2"). */
enum weft_object_kind {
	WEFT_OBJECT_NONE = 0,
	WEFT_OBJECT_MUTEX,
	WEFT_OBJECT_COND,
	WEFT_OBJECT_THREAD,
	WEFT_OBJECT_RWLOCK,
	WEFT_OBJECT_SEM,
	WEFT_OBJECT_BARRIER,
	WEFT_OBJECT_ONCE,
	WEFT_OBJECT_SPIN,
	WEFT_OBJECT_USER_LOCK, /* a lock of the program's own (--yield-at ...=lock(N)) */
	WEFT_OBJECT_USER,      /* the object a wrapped call names (=call(N), ...) */
	WEFT_OBJECT_FUNCTION,  /* a wrapped function, the object of its calls */
	WEFT_OBJECT_ATOMIC,    /* a location accessed with atomics (-fsanitize=thread builds) */
	/* raw futexes */
	WEFT_OBJECT_FUTEX,    /* a futex word used with syscall(SYS_futex) */
	WEFT_OBJECT_SEM_NAME, /* the name of a named semaphore (sem_open, sem_unlink) */
	WEFT_OBJECT_KINDS     /* keep last: the number of kinds */
};

/* One planned choice: at scheduling step `step`, run `thread`. Plans list
 * only choice points (steps where more than one thread could run). */
struct weft_choice {
	uint32_t step;
	uint32_t thread;
};

#define WEFT_EVENT_CHOICE 1u /* more than one thread was enabled */
#define WEFT_EVENT_VALUE                                                                           \
	2u /* a value choice (weft_choose): `enabled` holds the                                    \
	    * values that were possible, `object` the one taken */
#define WEFT_EVENT_YIELDED                                                                         \
	4u                              /* the operation left its thread yielded (an atomic        \
	                                 * that saw its location unchanged: a spin-wait) */
#define WEFT_EVENT_READ_ONLY 8u         /* a compare-exchange that failed: it only read */
#define WEFT_EVENT_WRITER_PREFERRED 16u /* on a read-write lock that prefers writers */
#define WEFT_EVENT_RAN_INIT 32u         /* a pthread_once call that runs the initialiser */
#define WEFT_EVENT_FAILED 64u           /* a sem_trywait that gets nothing */
#define WEFT_EVENT_ENDS_ROUND 128u      /* the last arrival at a barrier in its round */

/* Call stacks: each step keeps the return addresses of the callers above
 * its call site (pc), innermost first. A fixed few keep the exchange small
 * (8 bytes each per step of --max-steps); the test's own frame is rarely
 * further out than this. */
#define WEFT_STACK_DEPTH 8

/* One executed operation. */
struct weft_event {
	uint16_t thread;
	uint8_t op;
	uint8_t flags;
	uint32_t object;  /* object id, or thread id for create/join; 0 = none */
	uint64_t enabled; /* threads that could have run at this step (bit = id) */
	uint64_t pc;      /* return address of the intercepted call, 0 if none */
	uint32_t func;    /* 1 + index into wrapped[] of the function called, 0 = none */
	uint32_t object2; /* a second object: the mutex a signalled condition wake-up
	                   * re-acquires (its `object` is the condition); 0 = none */
};

/* What a choice point chose: a thread, or for a value choice the value.
 * Plans and tokens record this number. */
static inline uint32_t weft_event_choice(const struct weft_event *e)
{
	return (e->flags & WEFT_EVENT_VALUE) ? e->object : e->thread;
}

struct weft_thread_state {
	int32_t tid; /* kernel thread id, for the hang watchdog */
	uint8_t status;
	uint8_t op; /* pending (or last) operation */
	uint16_t nheld;
	uint32_t object;
	uint32_t creator;
	uint32_t func; /* as in weft_event */
	uint8_t flags; /* of the pending operation, as in weft_event (WRITER_PREFERRED) */
	/* stack[] holds where the thread stopped, innermost first (the
	 * instruction that crashed or aborted, or where a hang is stuck),
	 * each entry looked up at entry - 1, instead of pc's callers */
	uint8_t stopped_here;
	uint8_t reserved[2];
	uint64_t pc;
	uint32_t held[WEFT_MAX_HELD]; /* ids of mutexes held */
	/* The callers above pc when the pending operation was announced
	 * (with WEFT_OPT_STACKS), innermost first, 0 after the last; or, with
	 * stopped_here, the thread's whole stack where it stopped. */
	uint64_t stack[WEFT_STACK_DEPTH];
};

/* A function wrapped at run time (--yield-at), parsed by the explorer and
 * checked again by the runtime (core/yieldspec.h has the grammar and the
 * enums). */
struct weft_wrap_spec {
	char name[WEFT_WRAP_NAME_LEN];
	uint8_t ret; /* enum weft_ctype */
	uint8_t nargs;
	uint8_t role;     /* enum weft_wrap_role */
	uint8_t role_arg; /* 1-based parameter naming the object, 0 = the function itself */
	uint8_t args[WEFT_WRAP_MAX_ARGS]; /* enum weft_ctype */
	uint8_t has_success;              /* trylock(N) == V: V given (else success = non-zero) */
	uint8_t role_arg2; /* wait(N, M): the parameter holding the lock it releases */
	uint8_t demangled; /* name is a C++ demangled signature ("ns::Lock::lock()") */
	uint8_t reserved2;
	int64_t success; /* trylock(N) == V: the return value that means "taken" */
};

struct weft_object_info {
	uint64_t addr;
	uint32_t kind;
	uint32_t module; /* index into modules, or UINT32_MAX */
	/* The object that was at the same address before it was destroyed or
	 * initialised again (0 = none): the same object to the strategies. */
	uint32_t previous;
	uint32_t reserved;
};

struct weft_module {
	uint64_t start, end, bias;
	char path[WEFT_PATH_LEN];
};

/* A data race found by the runtime (instrumented builds): the two accesses,
 * the earlier one first. Each has its call stack from __tsan_func_entry,
 * innermost first: frames[0] is the access itself, then the call sites. */
#define WEFT_RACE_FRAMES 16
struct weft_race_access {
	uint64_t addr; /* first byte both accesses touch */
	uint32_t size; /* bytes of this access */
	uint16_t thread;
	uint8_t is_write;
	uint8_t is_atomic;
	uint32_t nframes;
	uint32_t step; /* the thread's last scheduling step before it, UINT32_MAX = none */
	uint64_t frames[WEFT_RACE_FRAMES]; /* return addresses, symbolised at pc - 1 */
};

struct weft_race {
	uint32_t found;
	uint32_t reserved;
	struct weft_race_access access[2]; /* [0] the earlier access, [1] the later */
};

struct weft_shm {
	uint64_t magic;
	uint32_t version;
	uint32_t size;

	/* --- written by the explorer before each execution --- */
	uint32_t max_steps; /* capacity of events[] and plan[] */
	uint32_t plan_len;
	uint32_t options;          /* WEFT_OPT_* */
	uint32_t spurious_wakeups; /* condition waits that may wake without a signal */
	uint64_t seed;             /* of this execution's random choices (policies below) */
	uint32_t policy;           /* WEFT_POLICY_*: how the runtime chooses once the plan ends */
	uint32_t pct_depth;        /* PCT: the bug depth d (d - 1 priority change points) */
	uint32_t pct_steps;        /* PCT: k, the expected number of steps of an execution */
	uint32_t reserved1;
	int64_t
	    time_start_ns; /* CLOCK_REALTIME at the start, ns since 1970; 0 = WEFT_TIME_EPOCH_NS */
	uint32_t nwrapped; /* functions to wrap (--yield-at) */
	struct weft_wrap_spec wrapped[WEFT_MAX_WRAPPED];

	/* --- written by the runtime --- */
	uint32_t loaded;     /* set by the runtime's constructor in any process */
	int32_t claimed_pid; /* the process that took control (0 = none yet) */
	uint32_t nsteps;     /* events recorded; also the watchdog's heartbeat */
	uint32_t nthreads;
	uint32_t current; /* thread running now */
	uint32_t bug;     /* enum weft_bug_kind found by the runtime, or 0 */
	uint32_t exited;  /* the process reached its exit */
	int32_t exit_status;
	uint32_t blocked_at_exit;
	uint32_t diverged_step;
	uint32_t unsupported;  /* the program reached a call weft cannot model: message */
	uint32_t config_error; /* a --yield-at spec cannot be applied to this program: message */
	uint32_t nobjects;
	uint32_t nmodules;
	/* The request and the answer of an execution restored in place go
	 * through these words instead of the pipes when the other side is
	 * watching (see the pipes below). `answered`: enum weft_answer_word,
	 * set to WEFT_ANSWER_NONE by the explorer before each request;
	 * `answer` the wait status when it is WEFT_ANSWER_POSTED. */
	uint32_t answered;
	int32_t answer;
	/* The explorer and the process restored in place run on CPUs of their
	 * own: the process may watch `requested` for a while before it sleeps
	 * in its read of the next request, as the explorer watches `answered`. */
	uint32_t spin_for_request;
	/* enum weft_request_word; outside what the explorer clears before an
	 * execution (the reader may be changing it then). */
	uint32_t requested;
	char message[WEFT_MESSAGE_LEN];
	struct weft_thread_state threads[WEFT_MAX_THREADS];
	struct weft_object_info objects[WEFT_MAX_OBJECTS];
	struct weft_module modules[WEFT_MAX_MODULES];
	struct weft_race race; /* the data race found (bug == data-race) */

	/* --- written by the runtime: what it could not see (unseen.c) --- */
	uint32_t unseen;        /* WEFT_UNSEEN_* */
	uint32_t nunseen_sites; /* atomic instructions found but not trapped (all of them,
	                         * even past the table's end) */
	uint64_t unseen_sites[WEFT_MAX_UNSEEN_SITES]; /* their addresses */
	uint32_t trapped; /* atomic instructions trapped (atomic_trap.c) */
	uint32_t reserved_unseen;

	/* --- written by the explorer (--keep-going, instrumented builds): the
	 * accesses that raced in earlier executions, each a scheduling point
	 * from now on; a race between two of them no longer ends an execution,
	 * so the search reaches what it leads to (race_points.c) --- */
	uint32_t nrace_points;
	uint32_t reserved_race_points;
	struct weft_race_point {
		uint32_t module; /* index into modules[] (the same in every execution) */
		uint32_t reserved;
		uint64_t offset; /* pc - the module's bias */
	} race_points[WEFT_MAX_RACE_POINTS];
	/* --- written by the runtime: spin-waits and limits (interpose/spin.c,
	 * progress.c), cleared by the runtime when it takes control --- */
	uint32_t limit_error; /* the execution passed a limit of weft's own: message */
	uint32_t spin_thread; /* the thread found spinning forever (livelock) */
	uint32_t spin_nframes;
	uint32_t reserved2;
	/* the spinner's stack: [0] is the interrupted instruction + 1 (so that
	 * it is looked up like a return address), then return addresses */
	uint64_t spin_frames[WEFT_SPIN_FRAMES];
	/* --- written by the runtime: how the execution started
	 * (interpose/resident.c) --- */
	uint32_t exec_model; /* enum weft_exec_model */
	uint32_t reserved3;
	char restore_why[160]; /* why the process is not restored in place */
	                       /* followed by: struct weft_choice plan[max_steps];
	                        *              struct weft_event events[max_steps];
	                        *              uint64_t stacks[max_steps][WEFT_STACK_DEPTH]; */
};

/* The fork server's pipes (forkserver.c, resident.c): the explorer writes
 * 1 for each execution; the server answers with the pid of each process it
 * forks, as WEFT_PID_WORD(pid) (or -errno when fork failed), and with the
 * wait status of each execution (a number below 0x10000). A resident
 * process restored in place keeps its pid: its next execution answers with
 * its status alone. A request, and the answer of an execution restored in
 * place, may go through the region's words instead (below), which spares
 * both sides their system calls while each watches for the other. */
#define WEFT_PID_WORD_TAG 0x40000000
#define WEFT_PID_WORD(pid) ((int32_t)(WEFT_PID_WORD_TAG | (int32_t)(pid)))
#define WEFT_IS_PID_WORD(w) ((w) > 0 && ((w)&WEFT_PID_WORD_TAG) != 0)
#define WEFT_PID_OF_WORD(w) ((w) & ~WEFT_PID_WORD_TAG)

/* The request word: the fork server, or the process restored in place,
 * about to wait for the next request looks at it first. The explorer
 * posts a request there (IDLE -> POSTED, one compare-and-swap) while a
 * reader will look; once the reader has moved it to PIPE it sleeps in its
 * read of the control pipe, and the explorer writes the request there.
 * The reader sets it back to IDLE when it takes a request. */
enum weft_request_word {
	WEFT_REQUEST_IDLE = 0,
	WEFT_REQUEST_POSTED = 1,
	WEFT_REQUEST_PIPE = 2,
};

/* The answer word: a process restored in place posts its status there
 * (NONE -> POSTED) unless the explorer stopped watching (NONE -> PIPE):
 * then it writes the status on the pipe, as the fork server always does,
 * and sets SENT, which ends the explorer's watch early. */
enum weft_answer_word {
	WEFT_ANSWER_NONE = 0,
	WEFT_ANSWER_POSTED = 1,
	WEFT_ANSWER_PIPE = 2,
	WEFT_ANSWER_SENT = 3,
};

/* How an execution's process started. */
enum weft_exec_model {
	WEFT_EXEC_MODEL_SPAWN = 0,    /* a process started for it (or not said) */
	WEFT_EXEC_MODEL_FORK = 1,     /* a fork of the fork server */
	WEFT_EXEC_MODEL_RESTORE = 2,  /* the resident process, restored in place */
	WEFT_EXEC_MODEL_SNAPSHOT = 3, /* restored in place to the first branch point */
};

/* How the runtime chooses among enabled threads once the plan is used up. */
enum weft_policy {
	WEFT_POLICY_LOWEST = 0,  /* the lowest-numbered enabled thread (DFS, DPOR) */
	WEFT_POLICY_STICKY,      /* keep the running thread while it can run (bounded search) */
	WEFT_POLICY_RANDOM,      /* uniform among the enabled threads (random walk) */
	WEFT_POLICY_PCT,         /* random priorities with d - 1 change points (PCT) */
	WEFT_POLICY_POS,         /* random priorities, re-drawn for racing threads (POS) */
	WEFT_POLICY_ROUND_ROBIN, /* the running thread while it can run, else the next
	                          * enabled one after it in round-robin order (delay bounding) */
};

/* Round-robin order after a step by thread `last`: last, last + 1, ...,
 * 63, 0, 1, ..., last - 1 (from thread 0 before the first step, `last` =
 * UINT32_MAX). Delay bounding's deterministic scheduler runs the first
 * enabled thread in this order; running another costs one delay for each
 * enabled thread it skips. The runtime and the explorer both use these
 * two functions, so their counts agree. */
static inline uint64_t weft_round_robin_rotate(uint64_t set, uint32_t last)
{
	uint32_t first = last < 64 ? last : 0;
	return first ? (set >> first) | (set << (64 - first)) : set;
}

/* The deterministic scheduler's choice; `enabled` must not be empty. */
static inline uint32_t weft_round_robin_next(uint64_t enabled, uint32_t last)
{
	uint32_t first = last < 64 ? last : 0;
	return ((uint32_t)__builtin_ctzll(weft_round_robin_rotate(enabled, last)) + first) & 63;
}

/* The delays of running thread t: the enabled threads before it in the order. */
static inline uint32_t weft_round_robin_delays(uint64_t enabled, uint32_t last, uint32_t t)
{
	uint32_t first = last < 64 ? last : 0;
	uint64_t before = (1ull << ((t - first) & 63)) - 1;
	return (uint32_t)__builtin_popcountll(weft_round_robin_rotate(enabled, last) & before);
}

#define WEFT_OPT_SHOW_OUTPUT 1u
#define WEFT_OPT_TIME_ADVERSARIAL 2u /* a sleeping or timed-waiting thread may wake at any step */
/* Record each step's call stack into weft_shm_stacks() and the threads'
 * stack[] (about 2 us a step, so only for executions that are reported). */
#define WEFT_OPT_STACKS (1u << 16)
/* The plan is a strategy's guess (DPOR's reordering of an execution), not a
 * recording: where the program does not follow it (it communicates through
 * memory weft does not see), drop the rest of the plan and go on with the
 * policy instead of reporting a divergence. Never set for a replay. */
#define WEFT_OPT_PLAN_ADVISORY 4u

/* Where virtual time starts unless --time-start says otherwise:
 * 2000-01-01T00:00:00Z on CLOCK_REALTIME. */
#define WEFT_TIME_EPOCH_NS (946684800ll * 1000000000ll)

static inline size_t weft_shm_size(uint32_t max_steps)
{
	return sizeof(struct weft_shm) + (size_t)max_steps * sizeof(struct weft_choice) +
	       (size_t)max_steps * sizeof(struct weft_event) +
	       (size_t)max_steps * WEFT_STACK_DEPTH * sizeof(uint64_t);
}

static inline struct weft_choice *weft_shm_plan(struct weft_shm *shm)
{
	return (struct weft_choice *)(shm + 1);
}

static inline struct weft_event *weft_shm_events(struct weft_shm *shm)
{
	return (struct weft_event *)(weft_shm_plan(shm) + shm->max_steps);
}

/* The callers of step i's call site: WEFT_STACK_DEPTH words from
 * weft_shm_stacks(shm) + i * WEFT_STACK_DEPTH (with WEFT_OPT_STACKS). */
static inline uint64_t *weft_shm_stacks(struct weft_shm *shm)
{
	return (uint64_t *)(weft_shm_events(shm) + shm->max_steps);
}

#endif
