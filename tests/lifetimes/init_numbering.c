/* An object initialised with *_init keeps the number it got at the init
 * until it is destroyed; initialised again, it gets a new number, kept in
 * turn. Two rounds of a mutex and a semaphore in one stack frame's memory,
 * then an abort so that weft prints the interleaving, which
 * tests/lifetimes.sh reads: mutex#1 and sem#2 in the first round, mutex#3
 * and sem#4 in the second. */
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>

static void round_trip(pthread_mutex_t *m, sem_t *s)
{
	pthread_mutex_init(m, NULL);
	sem_init(s, 0, 1);
	pthread_mutex_lock(m);
	sem_wait(s);
	pthread_mutex_unlock(m);
	sem_post(s);
	sem_destroy(s);
	pthread_mutex_destroy(m);
}

int main(void)
{
	pthread_mutex_t m;
	sem_t s;
	round_trip(&m, &s);
	round_trip(&m, &s);
	abort();
}
