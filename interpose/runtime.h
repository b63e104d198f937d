/* The runtime's state inside one target process: its threads, its modelled
 * objects, and the scheduler that lets exactly one thread run at a time.
 *
 * Every intercepted call follows three beats: the guard (pass straight
 * through when weft does not control this thread), the scheduling point
 * (announce the operation and wait until the scheduler picks this thread
 * with the operation enabled), and the model (apply the operation to the
 * modelled object and return the POSIX result). Only the chosen thread runs
 * between two scheduling points, so the model needs no locks of its own. */
#ifndef WEFT_RUNTIME_H
#define WEFT_RUNTIME_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "../core/protocol.h"
#include "real.h"

struct weft_object;

struct weft_thread {
	uint32_t id;
	uint32_t turn; /* futex word: 1 when the scheduler handed this thread the turn */
	pthread_t handle;
	bool has_handle;
	struct weft_thread_state *shared; /* the record in the exchange region */

	/* pending operation */
	enum weft_op op;
	struct weft_object *obj;
	struct weft_thread *target; /* for join */

	bool exited, detached, joined, frozen;
	bool yielded; /* gives way to every other enabled thread at the next decision */

	/* condition variable waiting */
	bool signalled;
	struct weft_thread *next_waiter;
	struct weft_object *wait_mutex;
	int saved_count;

	/* a pending sleep or timed wait (clock.c) */
	bool has_deadline;
	bool due;          /* the deadline has come: set by the scheduler */
	uint64_t deadline; /* virtual ns since the start of the execution */

	uint64_t barrier_round; /* the round of the barrier this thread waits in */

	/* inside a blocking call of a wrapped function (wrap_blocking.c) */
	bool returned; /* the call returned: set by the thread itself, read atomically */

	void *(*start)(void *);
	void *start_arg;

	void *exec; /* the execution layer's record of this thread (exec_fiber.c) */
};

enum weft_mutex_type {
	WEFT_MUTEX_NORMAL,
	WEFT_MUTEX_RECURSIVE,
	WEFT_MUTEX_ERRORCHECK,
};

struct weft_object {
	uintptr_t addr;
	uint32_t id;
	enum weft_object_kind kind;
	bool seeded; /* the model took its starting state from the real object */
	bool forgotten; /* destroyed or initialised again: the address's next use is a new object */
	union {
		struct {
			struct weft_thread *owner;
			int count;
			enum weft_mutex_type type;
		} mutex;
		struct {
			struct weft_thread *head, *tail;
			struct weft_object *mutex; /* mutex of the current waiters */
		} cond;
		struct {
			struct weft_thread *writer;
			uint32_t readers;
			bool prefer_writer;           /* PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP */
			uint8_t reads[WEFT_MAX_THREADS]; /* read locks each thread holds */
		} rwlock;
		struct {
			uint32_t value;
		} sem;
		struct {
			uint32_t count, arrived;
			uint64_t round;
		} barrier;
		struct {
			bool done;
			struct weft_thread *runner; /* the thread running the initialiser */
		} once;
	} u;
};

struct weft_runtime {
	struct weft_shm *shm;
	struct weft_choice *plan;
	struct weft_event *events;
	uint32_t plan_pos;
	bool active;  /* this process is the one weft controls */
	bool exiting; /* the process passed its exit: only the exiting thread runs */
	uint32_t nthreads;
	struct weft_thread *threads[WEFT_MAX_THREADS];

	/* virtual time (clock.c) and POSIX-allowed surprises */
	uint64_t now;           /* virtual ns since the start of the execution */
	int64_t realtime_start; /* CLOCK_REALTIME at now == 0, ns since 1970 */
	uint32_t clock_reads;   /* clock reads since the last scheduling point */
	bool adversarial_time;  /* --time=adversarial */
	uint32_t spurious_left; /* spurious wake-ups still allowed (--spurious-wakeups) */

	/* set while wrap.c redirects --yield-at functions: libffi and the
	 * unwinder lock mutexes then, which must neither claim nor be modelled */
	bool wrapping;

	/* __VERIFIER_atomic_begin/end: while this thread can run, only it runs */
	struct weft_thread *atomic_owner;
	bool pruned; /* __VERIFIER_assume(0): the execution is infeasible */
};

extern struct weft_runtime weft__rt;

/* The calling thread's record, or NULL when weft does not control it. */
struct weft_thread *weft__self(void);

/* Guard for hooks: true when the call must be modelled, after lazily
 * initialising the runtime. */
bool weft__controlled(void);

/* Guard for clock reads, which must not take control of the process (a
 * wrapper shell reads the clock too): true when this process runs under
 * weft and is, or may still become, the one weft controls. */
bool weft__time_virtual(void);

/* Scheduling point: announce `op` on `obj` for the calling thread and return
 * once the scheduler chose it with the operation enabled. */
void weft__sched_point(enum weft_op op, struct weft_object *obj, uintptr_t pc);

/* The same for a call of a function wrapped with --yield-at: func is 1 +
 * its index in the exchange region's wrapped[] table. */
void weft__sched_point_func(enum weft_op op, struct weft_object *obj, uint32_t func, uintptr_t pc);

/* The same for operations whose object is a thread (create, join). */
void weft__sched_point_thread(enum weft_op op, uint32_t thread_id, uintptr_t pc);

/* Whether a thread's pending operation can proceed now. */
bool weft__op_enabled(const struct weft_thread *t);

/* A new thread waits here for its first turn. */
void weft__wait_first_turn(struct weft_thread *me);

/* The calling thread has finished (or the process is past its exit): hand
 * the turn to the next thread without waiting for it to come back. */
void weft__sched_leave(void);

/* End the execution with a bug found by the runtime. Never returns. */
_Noreturn void weft__fail(enum weft_bug_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Take control of an exchange region inherited from weft_check's process
 * (check.c); false if another process already did. */
bool weft__adopt_region(struct weft_shm *shm);

/* The policy's choice once the plan is used up (policy.c); `value` for a
 * weft_choose value rather than a thread. */
uint32_t weft__policy_choose(uint64_t enabled, uint32_t step, bool value);
/* Thread t was chosen to run its pending operation. */
void weft__policy_ran(const struct weft_thread *t);

/* A value choice in [0, n) recorded as its own event (weft_choose). */
uint32_t weft__choose_value(uint32_t n, uintptr_t pc);

/* The process ends now, as if it exited with `status` (process-exit step,
 * leak check), then really exits. */
_Noreturn void weft__process_end(int status, uintptr_t pc);

/* Serve executions by forking, when weft asked for it (forkserver.c). */
void weft__forkserver_serve(void);
/* The program's file (/proc/self/exe), read once. */
const char *weft__exe_path(void);

/* Functions wrapped at run time (--yield-at, wrap.c): redirect their GOT
 * slots at start-up; when the runtime takes control, stop the execution
 * with a configuration error if a spec could not be applied. */
void weft__wrap_install(void);
void weft__wrap_on_claim(void);

/* Threads inside blocking calls of wrapped functions, for the scheduler
 * (wrap_blocking.c): whether one may still come back; giving up the turn
 * when the caller leaves and nobody else can run (false when a thread that
 * came back meanwhile hands it straight back); waiting for one to come back. */
bool weft__outside_pending(void);
bool weft__outside_returned(const struct weft_thread *t);
bool weft__outside_release_turn(void);
void weft__outside_wait(void);

/* End the execution because the program used something weft cannot model. */
_Noreturn void weft__unsupported(const char *call);

/* Threads */
struct weft_thread *weft__thread_new(uint32_t creator);
/* Zeroed memory of the runtime's own that lives until the process ends
 * (pool.c): the runtime never calls malloc for its records. */
void *weft__pool_alloc(size_t size);
struct weft_thread *weft__thread_by_handle(pthread_t handle);
void weft__set_self(struct weft_thread *t);
/* The calling thread's start routine returned or it called pthread_exit. */
void weft__thread_finish(void);
/* Its exit step alone: from then on it is no longer controlled, but keeps
 * the turn until it leaves (weft__sched_leave), for what glibc runs after
 * a thread's end (cleanup handlers, destructors). */
void weft__thread_exit_step(void);

/* Objects */
struct weft_object *weft__object_get(const void *addr, enum weft_object_kind kind);
void weft__object_forget(const void *addr);
uint32_t weft__object_id(const struct weft_object *o);

/* Held-lock bookkeeping shown in reports */
void weft__held_add(struct weft_thread *t, struct weft_object *m);
void weft__held_remove(struct weft_thread *t, struct weft_object *m);

/* Models: whether a pending operation can proceed now. */
bool weft__mutex_can_lock(const struct weft_thread *t, const struct weft_object *m);
bool weft__cond_can_wake(const struct weft_thread *t);
/* The thread waits on a condition and could only wake spuriously. */
bool weft__cond_spurious_only(const struct weft_thread *t);
bool weft__rwlock_can_rdlock(const struct weft_thread *t, const struct weft_object *l);
bool weft__rwlock_can_wrlock(const struct weft_thread *t, const struct weft_object *l);
bool weft__sem_can_wait(const struct weft_object *s);
bool weft__barrier_can_leave(const struct weft_thread *t);
bool weft__once_can_enter(const struct weft_thread *t, const struct weft_object *o);

/* Whether a thread is blocked for good: its operation cannot proceed and
 * no deadline will end the wait. */
bool weft__blocked_forever(const struct weft_thread *t);

#endif
