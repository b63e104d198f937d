/* Limits of weft's own. A program that goes past one of them is not wrong:
 * the execution stops with an error that names the limit and the way past
 * it (the explorer exits 2), never with a bug blamed on the program. The
 * message travels in the exchange region like a --yield-at configuration
 * error, whose classification prints it as it is. */
#define _GNU_SOURCE
#include "resident.h"
#include "runtime.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

void weft__limit(const char *fmt, ...)
{
	struct weft_shm *shm = weft__rt.shm;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(shm->message, sizeof shm->message, fmt, ap);
	va_end(ap);
	shm->config_error = 1;
	weft__execution_end(WEFT_RUNTIME_EXIT_STATUS);
}
