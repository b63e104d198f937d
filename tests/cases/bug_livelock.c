/* Two workers each wait, spinning with sched_yield, for the other to raise
 * its flag, and each raises its own flag only after the wait: neither ever
 * does. Fairness makes them take turns, but no turn makes progress (every
 * step is a yield, no modelled state changes, no time passes), so weft
 * reports a livelock after WEFT_IDLE_STEPS_LIMIT such steps in a row. (A
 * plain run spins forever, burning both CPUs.)
 *
 * weft-expect: bug livelock
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

static atomic_int flags[2];

static void *worker(void *arg)
{
	int me = *(int *)arg, other = 1 - me;
	while (!atomic_load(&flags[other]))
		sched_yield();
	atomic_store(&flags[me], 1);
	return NULL;
}

int main(void)
{
	static int ids[2] = {0, 1};
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, &ids[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return 0;
}
