/* memcpy is not instrumented by either compiler; weft's runtime checks it
 * as a read of the source and a write of the destination. The worker
 * copies into a buffer main reads without synchronisation.
 * weft-expect: bug data-race */
#include <pthread.h>
#include <string.h>

static char shared[64];
static char source[64] = "a message for the other thread";
static volatile size_t length = sizeof source; /* not a constant: a real memcpy call */

static void *worker(void *arg)
{
	(void)arg;
	memcpy(shared, source, length);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	char copy[64];
	memcpy(copy, shared, length);
	pthread_join(t, NULL);
	return copy[0] == 'x';
}
