/* A signal handler that takes a lock. main sends SIGUSR1 to the worker
 * with pthread_kill; the handler locks the mutex the worker also takes.
 * When the signal lands while the worker holds the mutex, the handler
 * relocks a mutex its thread owns: a self-deadlock. With signals delivered
 * at scheduling points, where the signal lands depends on the schedule
 * alone: the same verdict on every run, and its token replays it. */
#include <pthread.h>
#include <signal.h>
#include <string.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int counter;
static volatile sig_atomic_t handled;

static void on_signal(int sig)
{
	(void)sig;
	pthread_mutex_lock(&m);
	counter++;
	pthread_mutex_unlock(&m);
	handled = 1;
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	counter++;
	pthread_mutex_unlock(&m);
	pthread_mutex_lock(&m);
	counter++;
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGUSR1, &sa, NULL);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&m);
	counter++;
	pthread_mutex_unlock(&m);
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	return 0;
}
