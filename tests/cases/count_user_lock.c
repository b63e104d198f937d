/* A lock of the program's own, declared with --yield-at: two workers each
 * take stdout's stream lock (flockfile/funlockfile, which weft does not
 * model by itself) around an update, as count_mutex_counter_2.c does with a
 * mutex. weft models a lock(N)/unlock(N) pair as a mutex on argument N.
 *
 * weft-options: --yield-at flockfile(FILE*)->void=lock(1) --yield-at funlockfile(FILE*)->void=unlock(1)
 *
 * Count: main = C1 C2 J1 J2 X, worker i = Si Li Ui Ei on the one lock:
 * the program and the count of count_mutex_counter_2.c, 151 executions.
 *
 * weft-expect: ok 151
 * Optimal DPOR explores one execution per happens-before order: which
 * worker takes the lock first, 2, as for the mutex.
 * weft-expect-dpor: 2
 */
#include <pthread.h>
#include <stdio.h>

static int counter;

static void *worker(void *arg)
{
	(void)arg;
	flockfile(stdout);
	counter++;
	funlockfile(stdout);
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return counter == 2 ? 0 : 1;
}
