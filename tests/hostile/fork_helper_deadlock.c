/* A helper process with threads, forked at the start of main before any
 * synchronisation call, outlives each execution: it must run outside weft
 * and must never claim the exchange region of a later execution. The main
 * process then has the textbook ABBA deadlock, which weft must report as a
 * deadlock with the same count as without the helper (any argument: no
 * helper). */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;

static _Noreturn void *helper_thread(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&a);
		pthread_mutex_unlock(&a);
		usleep(10000);
	}
}

static void *a_then_b(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&a);
	pthread_mutex_lock(&b);
	pthread_mutex_unlock(&b);
	pthread_mutex_unlock(&a);
	return NULL;
}

static void *b_then_a(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&b);
	pthread_mutex_lock(&a);
	pthread_mutex_unlock(&a);
	pthread_mutex_unlock(&b);
	return NULL;
}

int main(int argc, char **argv)
{
	(void)argv;
	if (argc < 2 && fork() == 0) {
		/* the helper: threads that lock and sleep until weft ends them */
		pthread_t h[2];
		for (int i = 0; i < 2; i++)
			pthread_create(&h[i], NULL, helper_thread, NULL);
		for (int i = 0; i < 2; i++)
			pthread_join(h[i], NULL);
		_exit(0);
	}
	pthread_t t1, t2;
	pthread_create(&t1, NULL, a_then_b, NULL);
	pthread_create(&t2, NULL, b_then_a, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	return 0;
}
