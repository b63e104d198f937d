/* pause, sigsuspend and sigwait are cancellation points: a worker that
 * waits in sigwait for a signal nobody sends, and one in pause, are both
 * cancelled by main and end with PTHREAD_CANCELED (the request wakes them
 * from the wait weft models, as a condition wait's).
 *
 * Count: every order of the two creates, the two starts and waits, the two
 * requests and main's joins, with each worker's end after its request:
 * 355 executions, in 100 happens-before orders, which DPOR explores once
 * each.
 *
 * weft-expect: ok 355
 * weft-expect-dpor: 100
 */
#include <assert.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

static void *in_sigwait(void *arg)
{
	(void)arg;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	int sig;
	sigwait(&set, &sig);
	return NULL;
}

static void *in_pause(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int main(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_t a, b;
	pthread_create(&a, NULL, in_sigwait, NULL);
	pthread_create(&b, NULL, in_pause, NULL);
	pthread_cancel(a);
	pthread_cancel(b);
	void *ra, *rb;
	pthread_join(a, &ra);
	pthread_join(b, &rb);
	assert(ra == PTHREAD_CANCELED && rb == PTHREAD_CANCELED);
	return 0;
}
