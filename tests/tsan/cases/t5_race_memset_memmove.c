/* memset and memmove, which neither compiler instruments, are checked
 * too: the worker clears a shared buffer with memset while main shifts it
 * with memmove, and nothing orders the two.
 * weft-expect: bug data-race */
#include <pthread.h>
#include <string.h>

static char buffer[128];
static volatile size_t length = 64; /* not a constant: real calls */

static void *worker(void *arg)
{
	(void)arg;
	memset(buffer, 0, length);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	memmove(buffer + 1, buffer, length);
	pthread_join(t, NULL);
	return buffer[0];
}
