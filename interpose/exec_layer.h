/* The execution layer: how the program's threads are run, apart from what
 * their calls mean. The models and the scheduler decide which thread runs
 * next; this layer creates threads, hands the turn from one to another,
 * ends them and tells where one is. Two implementations sit behind it,
 * picked once per process from WEFT_THREADS:
 *
 *   kernel (exec_kernel.c)  every program thread is a real kernel thread;
 *                           the turn passes with a futex hand-off.
 *   fiber  (exec_fiber.c)   every program thread is a fiber on the one
 *                           kernel thread of the execution, with its own
 *                           stack and glibc thread control block; the turn
 *                           passes with a switch of registers and thread
 *                           pointer.
 *
 * Nothing outside exec_*.c knows which one runs. */
#ifndef WEFT_EXEC_LAYER_H
#define WEFT_EXEC_LAYER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct weft_thread;

enum weft_exec_mode {
	WEFT_EXEC_KERNEL,
	WEFT_EXEC_FIBER,
};

/* The mode of this process, read from WEFT_THREADS (kernel by default). */
enum weft_exec_mode weft__exec_mode(void);

/* Start program thread `child` (its start routine and argument are set),
 * which first waits for its turn; *handle gets its pthread_t. Returns 0 or
 * the error number pthread_create would return. */
int weft__exec_create(struct weft_thread *child, const pthread_attr_t *attr, pthread_t *handle);

/* Give the turn to `next` and return once `me` has it again. */
void weft__exec_switch(struct weft_thread *me, struct weft_thread *next);

/* The calling thread leaves scheduling (it finished, or enters a call weft
 * does not control): give the turn to `next`, NULL when nobody is left,
 * without waiting for it to come back. For a thread that finished, this
 * does not return in fiber mode. */
void weft__exec_leave(struct weft_thread *next);

/* A thread that left scheduling waits here until the turn is handed to it
 * (its first turn, or its return from a call weft does not control). */
void weft__exec_wait_turn(struct weft_thread *me);

/* Detached thread `t` has exited and its slot goes to a new thread (its
 * record is replaced): give back what it still holds (a fiber's stack and
 * thread control block, for the next threads). */
void weft__exec_slot_reused(struct weft_thread *t);

/* The modelled join of `target` has happened: collect its result into
 * *ret (when ret is not NULL) and its resources. */
int weft__exec_join(struct weft_thread *target, pthread_t handle, void **ret);

/* The modelled detach of `target` has happened. */
int weft__exec_detach(struct weft_thread *target, pthread_t handle);

/* The value a controlled thread ends with (its start routine's result,
 * pthread_exit's argument, PTHREAD_CANCELED), recorded before it unwinds:
 * a fiber's joiner takes it from here, a kernel thread's from glibc. */
void weft__exec_set_result(struct weft_thread *me, void *ret);

/* In fiber mode, what fibers cannot do ends the execution with an error
 * (exit 2) naming it and --threads=kernel as the way out. */
_Noreturn void weft__exec_refuse(const char *why);

/* Whether the calling thread may leave scheduling for a blocking call of
 * a wrapped function (--yield-at ...=blocking): only kernel threads can
 * wait in the kernel while another program thread runs. */
bool weft__exec_can_block(void);

/* Where the calling thread's own memory lies (its stack, its static TLS and
 * control block), as far as a dead thread may have used it before: `each`
 * is called once per range (a fiber's stack that no thread of this
 * execution ran on is left out). The race detector forgets there what a
 * dead thread that used the memory before left. */
void weft__exec_own_memory(void (*each)(uintptr_t lo, size_t size));

/* Memory of the layer whose content nobody reads now (pooled stacks of
 * fibers to come): a snapshot need not keep it. */
void weft__exec_scratch_memory(void (*each)(uintptr_t lo, size_t size));

/* pthread_getattr_np of a fiber (not thread 0): its stack, guard size and
 * detach state. */
int weft__exec_getattr(struct weft_thread *t, pthread_attr_t *attr);

/* Snapshots at the first branch point (snapshot.c, fibers only). The
 * scheduler calls weft__exec_branch_point at every step with a choice; the
 * fork server sets the snapshots up, closes their pipes in each child
 * (weft__snapshot_child: true when the child keeps the explorer's pipes,
 * control and status, for the snapshot it may make), and lets the
 * snapshot serve a request when it can (true: it was answered on
 * status_fd, and any after it that the process restored at the branch
 * point took from the explorer itself). */
void weft__exec_branch_point(uint32_t step);
void weft__snapshot_server_init(void);
bool weft__snapshot_child(int control, int status_fd);
struct weft_shm;
bool weft__snapshot_serve(int status_fd, struct weft_shm *region);
/* Why the request in the region, which no snapshot can serve although
 * one exists, starts from main (for the summary), or NULL. */
const char *weft__snapshot_why_from_main(struct weft_shm *region);
/* The snapshot process's pid, which the fork server must not end with an
 * execution's leftovers; 0 when none. */
pid_t weft__snapshot_pid(void);
/* Whether this process restores itself in place to the first branch
 * point; then weft__snapshot_end reports the execution's exit status and
 * puts the process back there (or ends it when it cannot). */
bool weft__snapshot_in_place(void);
_Noreturn void weft__snapshot_end(int code);

/* In the fork server, before the first fork: make what the threads of
 * every execution will need (fiber stacks and TCBs), so that each child
 * inherits it instead of making it again. */
void weft__exec_prepare(void);

#endif
