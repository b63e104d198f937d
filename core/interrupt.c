/* The interruption flag set by SIGINT and SIGTERM (interrupt.h). The
 * handler only records the signal; the exploration loop and the executor's
 * waits look at it. */
#define _GNU_SOURCE
#include "interrupt.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t interrupted_by;

static void on_signal(int sig)
{
	if (!interrupted_by)
		interrupted_by = sig;
}

void weft_interrupt_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int weft_interrupted(void)
{
	return interrupted_by;
}
