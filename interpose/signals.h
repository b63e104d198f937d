/* Signals delivered at scheduling points (signals.c). */
#ifndef WEFT_SIGNALS_H
#define WEFT_SIGNALS_H

#include <signal.h>
#include <stdbool.h>

/* What a scheduling point saves on entry and restores on exit. */
struct weft_signal_state {
	bool active;
	sigset_t mask;
};

void weft__signals_enter(struct weft_signal_state *s);
void weft__signals_leave(const struct weft_signal_state *s);

/* Called before a deadlock is reported: a pending signal the program
 * handles makes it weft's limit instead (never returns then). */
void weft__signals_before_deadlock(void);

#endif
