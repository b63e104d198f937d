/* pthread_kill of another thread whose handler takes a lock: when the
 * signal lands while the worker holds the mutex, the handler relocks a
 * mutex its own thread holds. Signals to another thread are delivered at
 * that thread's next scheduling point, with kernel threads and with fibers
 * alike, so the bug is found at the same step in both modes and its token
 * replays it.
 *
 * weft-expect: bug misuse
 * weft-expect-dpor: bug misuse
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int counter;

static void on_signal(int sig)
{
	(void)sig;
	pthread_mutex_lock(&m);
	counter++;
	pthread_mutex_unlock(&m);
}

static void *worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 2; i++) {
		pthread_mutex_lock(&m);
		counter++;
		pthread_mutex_unlock(&m);
	}
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
