/* libworker.so: one worker of host.c, with its update split over two
 * critical sections of the host's lock. */
#include <stddef.h>

#include "worker.h"

void *worker_run(void *arg)
{
	struct shared *s = arg;
	host_lock(&s->lock);
	int seen = s->counter;
	host_unlock(&s->lock);
	host_lock(&s->lock);
	s->counter = seen + 1;
	host_unlock(&s->lock);
	return NULL;
}
