/* Signals delivered at scheduling points (signals.c). */
#ifndef WEFT_SIGNALS_H
#define WEFT_SIGNALS_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>

/* What a scheduling point saves on entry and restores on exit. */
struct weft_signal_state {
	bool active;
	sigset_t mask;
};

void weft__signals_enter(struct weft_signal_state *s);
void weft__signals_leave(const struct weft_signal_state *s);

/* Whether the program installed a handler for a signal weft delivers at
 * scheduling points: only then does each thread keep a signal mask of its
 * own under fibers (the scheduling points put it back); otherwise the
 * fibers share the kernel thread's. */
bool weft__signals_handled(void);

/* Called before a deadlock is reported: a pending signal the program
 * handles makes it weft's limit instead (never returns then). */
void weft__signals_before_deadlock(void);

/* fiber_signals.c: pthread_kill of another fiber (true: handled, *rc is
 * the result), and the delivery of what was sent to the calling fiber, at
 * the entry of its scheduling points. */
bool weft__fiber_kill(pthread_t thread, int sig, int *rc);
void weft__fiber_signals_deliver(void);

#endif
