/* A race whose earlier access comes after its thread's hundredth release:
 * T1 takes and releases a mutex 100 times, then writes x; main, which only
 * slept meanwhile, reads x. The report names the step after which T1's
 * write happened (its last unlock, step 201 in the first execution), which
 * the detector records per release of each thread (tests/race_epoch_step.sh
 * checks the step).
 * weft-expect: bug data-race
 */
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int x, rounds;

static void *worker(void *arg)
{
	for (int i = 0; i < 100; i++) {
		pthread_mutex_lock(&m);
		rounds++;
		pthread_mutex_unlock(&m);
	}
	x = rounds;
	return arg;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	sleep(1);
	int seen = x;
	pthread_join(t, NULL);
	return seen == 50; /* any use of the value keeps the read */
}
