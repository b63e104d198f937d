/* Workers that compute in phases, meeting at a barrier between phases. The
 * barrier is sized for every thread "including main", but main never waits
 * on it: no phase ever ends. Natively the test just hangs.
 *
 * What weft finds: a deadlock whose report names the barrier each worker
 * waits in.
 *
 * weft-expect: bug deadlock
 */
#include <pthread.h>

#define WORKERS 2
#define PHASES 2

static pthread_barrier_t phase_done;
static int partial[WORKERS][PHASES];

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	for (int phase = 0; phase < PHASES; phase++) {
		partial[id][phase] = id + phase;
		pthread_barrier_wait(&phase_done);
	}
	return NULL;
}

int main(void)
{
	/* BUG: main does not take part, so the count should be WORKERS. */
	pthread_barrier_init(&phase_done, NULL, WORKERS + 1);
	pthread_t t[WORKERS];
	for (long i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&phase_done);
	return 0;
}
