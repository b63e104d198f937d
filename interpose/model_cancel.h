/* The model of thread cancellation (model_cancel.c). */
#ifndef WEFT_MODEL_CANCEL_H
#define WEFT_MODEL_CANCEL_H

#include "runtime.h"

/* The calling thread announces its pending operation (sched.c): when a
 * cancellation request would be acted on there, the operation becomes
 * WEFT_OP_CANCEL_ACT. */
void weft__cancel_announce(struct weft_thread *me);

/* The calling thread got the turn for its operation (sched.c): a
 * WEFT_OP_CANCEL_ACT step acts on the request now, except in a condition
 * wait, which takes its mutex back first (hooks_sync.c). */
void weft__cancel_after_point(struct weft_thread *me);

/* Act on the calling thread's cancellation request: glibc's own unwinding,
 * as pthread_exit(PTHREAD_CANCELED), runs the cleanup handlers and C++
 * destructors while the thread stays under weft's control. */
_Noreturn void weft__cancel_act(void);

/* The calling thread acts on its request in a wait on condition c: it
 * leaves the queue, or, if a signal took it out meanwhile, passes that
 * signal on to the next waiter, as glibc's cancelled wait does. */
void weft__cancel_leave_wait(struct weft_object *c);

#endif
