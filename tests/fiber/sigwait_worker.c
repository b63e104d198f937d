/* A worker waits in sigwait() for the signal main sends it after taking a
 * mutex. sigwait is a call weft does not model: when the worker reaches it
 * first, it waits in the kernel while main could run. With kernel threads
 * that is a hang; with fibers the one kernel thread would wait, and weft
 * stops with an error naming the call and --threads=kernel
 * (threads_modes.sh). */
#include <pthread.h>
#include <signal.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	sigset_t *set = arg;
	int sig;
	sigwait(set, &sig);
	return NULL;
}

int main(void)
{
	static sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_t t;
	pthread_create(&t, NULL, worker, &set);
	pthread_mutex_lock(&m);
	pthread_mutex_unlock(&m);
	pthread_kill(t, SIGUSR2);
	pthread_join(t, NULL);
	return 0;
}
