/* Two threads increment a plain counter: a data race, found in the first
 * execution whatever the interleaving (happens-before does not depend on
 * the order the accesses ran in).
 * weft-expect: bug data-race */
#include <pthread.h>

static int counter;

static void *worker(void *arg)
{
	(void)arg;
	counter++;
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	counter++;
	pthread_join(t, NULL);
	return counter == 2 ? 0 : 1;
}
