/* Three threads, three locks, each thread taking two of them in a cycle:
 * T1 takes a then b, T2 b then c, T3 c then a. When each holds its first
 * lock, each waits for the next thread's: a wait-for cycle of three. Plain
 * depth-first search spends thousands of executions varying the ends of
 * the schedules (the loops of each thread before and after) without
 * reaching it; the default strategy, DPOR first, reverses the races between
 * the lock acquisitions and finds it in a few executions.
 *
 * weft-expect: bug deadlock
 * weft-expect-dpor: bug deadlock
 */
#include <pthread.h>

static pthread_mutex_t locks[3] = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
                                   PTHREAD_MUTEX_INITIALIZER};
static int counters[3];

static void *worker(void *arg)
{
	int first = (int)(long)arg, second = (first + 1) % 3;
	/* Some work of its own before and after, as real threads have. */
	pthread_mutex_lock(&locks[first]);
	counters[first]++;
	pthread_mutex_unlock(&locks[first]);
	pthread_mutex_lock(&locks[first]);
	pthread_mutex_lock(&locks[second]);
	counters[first] += counters[second];
	pthread_mutex_unlock(&locks[second]);
	pthread_mutex_unlock(&locks[first]);
	pthread_mutex_lock(&locks[second]);
	counters[second]++;
	pthread_mutex_unlock(&locks[second]);
	return NULL;
}

int main(void)
{
	pthread_t threads[3];
	for (long i = 0; i < 3; i++)
		pthread_create(&threads[i], NULL, worker, (void *)i);
	for (int i = 0; i < 3; i++)
		pthread_join(threads[i], NULL);
	return 0;
}
