/* Two threads spin-wait (sched_yield) for a flag that a third thread sets
 * after a few steps of its own. Fairness alone lets a spinning thread give
 * way for one decision only: under PCT, two spinners with priorities above
 * the worker's take turns forever and the worker never runs (a livelock
 * after --max-steps). PCT's yield rule gives a thread that spins the lowest
 * priority, so the worker runs and every execution ends (tests/pct.sh). */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int flag;
static int work;

static void *spinner(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&flag, memory_order_acquire))
		sched_yield();
	return NULL;
}

static void *worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 3; i++) {
		pthread_mutex_lock(&lock);
		work++;
		pthread_mutex_unlock(&lock);
	}
	atomic_store_explicit(&flag, 1, memory_order_release);
	return NULL;
}

int main(void)
{
	pthread_t a, b, w;
	pthread_create(&a, NULL, spinner, NULL);
	pthread_create(&b, NULL, spinner, NULL);
	pthread_create(&w, NULL, worker, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	pthread_join(w, NULL);
	return work == 3 ? 0 : 1;
}
