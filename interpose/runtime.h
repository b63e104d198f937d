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
#include <sys/types.h>

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

	/* a raw futex wait (model_futex.c) */
	struct weft_object *futex_word; /* the word it is queued on, NULL when none */
	uint32_t futex_bitset;
	bool futex_woken;               /* a wake took it off the queue */
	uint64_t futex_seq;             /* when it joined the queue: wakes go oldest first */
	struct weft_object *futex_spun; /* the word of its last wait that found the value */
	uint32_t futex_spun_value;      /* changed (EAGAIN), and the value it found */
	void *spin; /* spin.c's watch over this thread, NULL when off */
	/* cancellation (model_cancel.c) */
	bool cancel_pending;    /* a request not acted on yet */
	bool cancel_disabled;   /* PTHREAD_CANCEL_DISABLE */
	bool cancel_async;      /* PTHREAD_CANCEL_ASYNCHRONOUS */
	bool unwinding;         /* exiting (pthread_exit, cancelled): requests are ignored */
	enum weft_op cancel_op; /* the operation a CANCEL_ACT step replaced */
	void *exec; /* the execution layer's record of this thread (exec_fiber.c) */
	/* the signals of timers (timers.c), as bit masks of signals 1 to 63 */
	uint64_t wait_mask;   /* the program's mask at its last scheduling point */
	bool wait_mask_known; /* wait_mask was noted */
	bool interrupted;     /* chosen to run a handler inside its wait */
	bool eintr;           /* a handler ran inside its sleep or pause */
	bool suspending;      /* in sigsuspend, whose mask suspend_mask is */
	uint64_t suspend_mask;
	uint64_t sigwait_set; /* what a sigwait waits for */
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
			bool robust;          /* PTHREAD_MUTEX_ROBUST (model_robust.c) */
			uint8_t robust_state; /* consistent, inconsistent, not recoverable */
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
	uint64_t live; /* by id: the threads neither exited nor frozen */

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

	/* The process's exit (process_exit.c): begun at exit() or the return
	 * from main, while atexit handlers and destructors still run with every
	 * thread scheduled; `exiting` is set when it is finished. */
	bool exit_begun;
	bool exit_leak_check; /* returned from main: threads blocked forever then leak */
	int exit_status;
};

extern struct weft_runtime weft__rt;

/* The runtime's variables that every execution writes, kept together in
 * one section instead of spread among its large tables: each page an
 * execution writes costs a fault and, restored in place, a copy back. */
#define WEFT_HOT __attribute__((section("weft_hot")))

/* The calling thread's record, or NULL when weft does not control it. */
struct weft_thread *weft__self(void);

/* Guard for hooks: true when the call must be modelled, after lazily
 * initialising the runtime. */
bool weft__controlled(void);
/* The same for thread creation, which takes control even before main. */
bool weft__controlled_create(void);

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

/* The callers above call site pc on the calling thread's stack, into
 * out[WEFT_STACK_DEPTH] (zeros when stacks are off: stack.c). */
void weft__stack_capture(uintptr_t pc, uint64_t *out);
/* One walk in the fork server, so that children inherit a bound unwinder. */
void weft__stack_warm_up(void);

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

/* The process ends now, as if main returned `status` (process-exit step,
 * leak check), then really exits. */
_Noreturn void weft__process_end(int status, uintptr_t pc);

/* The two beats of the process's exit (process_exit.c): begun at exit() or
 * the return from main (leak_check), finished once the atexit handlers and
 * destructors have run; and the wrapper of the loader's destructor pass
 * that finishes it. */
void weft__exit_begin(int status, uintptr_t pc, bool leak_check);
void weft__exit_finish(int status);
void (*weft__exit_wrap_rtld_fini(void (*real)(void)))(void);

/* Run a thread's start routine, or main, with the cleanup handler that ends
 * the thread under weft's control however it ends (thread_end.c). */
void *weft__thread_run(struct weft_thread *me);
int weft__run_main(int (*main_fn)(int, char **, char **), int argc, char **argv, char **envp);
/* Whether a call comes from libgcc_s, the unwinder behind pthread_exit and
 * cancellation, whose own pthread_once the program does not see. */
bool weft__from_unwinder(uintptr_t pc);

/* Serve executions by forking, when weft asked for it (forkserver.c). */
void weft__forkserver_serve(void);
/* weft_check's fork server (check.c): serve on the explorer's pipes; returns
 * in each execution's child, which calls weft__forkserver_child_ready once
 * it has adopted the exchange region. */
void weft__forkserver_launch(int control, int status_fd, struct weft_shm *region);
void weft__forkserver_child_ready(void);
/* The program's file (/proc/self/exe), read once. */
const char *weft__exe_path(void);

/* Functions wrapped at run time (--yield-at, wrap.c): redirect their GOT
 * slots at start-up; when the runtime takes control, stop the execution
 * with a configuration error if a spec could not be applied. */
void weft__wrap_install(void);
void weft__wrap_on_claim(void);

/* What the runtime cannot see (unseen.c): an atomic instruction that could
 * not be trapped, the number trapped, and the report into the region when
 * the runtime takes control. */
void weft__unseen_site(uintptr_t pc);
void weft__unseen_trapped(uint32_t n);
void weft__unseen_on_claim(struct weft_shm *shm);

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
/* The live object at addr, or NULL; never creates one. */
struct weft_object *weft__object_find(const void *addr);
/* An init call starts a new object at addr (lifetimes.c): the one that was
 * there, if of the same kind, in *old for the misuse checks. */
struct weft_object *weft__object_begin(const void *addr, enum weft_object_kind kind,
                                       struct weft_object **old);
/* A use found a new object in the memory of o, put there without an init:
 * forget o and return the new one (lifetimes.c). */
struct weft_object *weft__object_renew(struct weft_object *o);
/* The init ran: the model starts from the real object's new state. */
void weft__object_started(struct weft_object *o);

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
/* fiber_io.c: whether the descriptors thread t waits for are ready, and
 * the waiters the scheduler lets wait for real when nobody can run. */
bool weft__fd_ready(const struct weft_thread *t);
uint64_t weft__fd_waiting(const struct weft_thread *leaving);

/* Processes around an execution (children.c): the region was attached
 * (fd, size) in this process; whether this process may claim it; it did
 * (scrub what its children inherit); weft_check's child adopts it; the fork
 * server is forking; its child starts an execution (false when the server
 * is already gone). */
void weft__children_attach(char **envp, int fd, size_t size);
bool weft__children_may_claim(void);
void weft__children_on_claim(void);
void weft__children_adopt(void);
void weft__children_serving(bool on);
bool weft__children_execution_start(pid_t server);
/* The process that may claim the region (the caller, when
 * weft__children_may_claim said yes). */
int32_t weft__children_owner(void);

/* Made once by the fork server before its first fork, inherited by every
 * execution (prefork.c): the pool's first chunk, the object table, the
 * list of loaded objects, what the claim does to the environment. */
void weft__prefork_prepare(void);
void weft__pool_prepare(void);
void weft__pool_page_break(void);
void weft__objects_prepare(void);
void weft__children_prepare(void);
void weft__thread_end_prepare(void);
void weft__progress_prepare(void);
/* Record the loaded objects into the region when the runtime takes
 * control (a copy of the server's list when the loader's is unchanged). */
void weft__modules_record(struct weft_shm *shm);
/* The same set-up as fork()'s handlers, around a raw clone (raw_clone.c). */
void weft__children_before_clone(void);
void weft__children_in_clone_child(void);
/* A limit of weft's own was reached (limits.c): stop the execution with an
 * error naming it and the way past it; never a bug of the program. */
_Noreturn void weft__limit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Thread slots (thread_slots.c): the id the next created thread gets, and
 * whether a record's slot may be given to a new thread. */
uint32_t weft__thread_slot_next(void);
bool weft__thread_slot_free(const struct weft_thread *t);

/* Process-shared objects (pshared.c): noted at their init, refused with
 * an error when the program also forks. */
void weft__pshared_mutex(const pthread_mutexattr_t *attr);
void weft__pshared_cond(const pthread_condattr_t *attr);
void weft__pshared_rwlock(const pthread_rwlockattr_t *attr);
void weft__pshared_barrier(const pthread_barrierattr_t *attr);
void weft__pshared_flag(int pshared, const char *what);

#endif
