/* A hang that needs a preemption: main spins forever (no call weft sees)
 * when the worker set the flag between main's two critical sections, which
 * takes a preemption of main. Shrinking such a hang would wait for the hang
 * timeout on every attempt; weft reports it as found. */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int flag;
static volatile int stop;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	flag = 1;
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&m);
	pthread_mutex_unlock(&m);
	pthread_mutex_lock(&m);
	int seen = flag;
	pthread_mutex_unlock(&m);
	while (seen && !stop)
		;
	pthread_join(t, NULL);
	return 0;
}
