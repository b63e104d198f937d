/* A "lock-free" hit counter: two threads count requests with ++ on a
 * volatile int, which is neither atomic nor ordered. Updates can be lost,
 * and the accesses race; weft reports the race in the first execution
 * (the lost update itself needs an interleaving no test run may ever hit).
 * Fixed twin: hit_counter_fixed.c.
 * weft-expect: bug data-race */
#include <pthread.h>

static volatile int hits;

static void *handler(void *arg)
{
	(void)arg;
	for (int i = 0; i < 2; i++)
		hits++;
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, handler, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return hits == 4 ? 0 : 1;
}
