/* A SIGALRM handler that takes a lock. main holds the mutex across a
 * sleep; the alarm fires during that sleep. If main takes the signal, its
 * handler relocks the mutex main holds: a self-deadlock (misuse). If the
 * worker, blocked on the same mutex, takes it, the handler waits its turn
 * and all ends well. Which thread takes the signal is a choice weft
 * explores and records, so the verdict is the same on every run and the
 * token replays it (tests/timers.sh checks 20 runs and 20 replays).
 *
 * weft-expect: bug misuse
 * weft-expect-dpor: bug misuse
 */
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int counter;

static void on_alarm(int sig)
{
	(void)sig;
	pthread_mutex_lock(&m);
	counter++;
	pthread_mutex_unlock(&m);
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	counter++;
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	signal(SIGALRM, on_alarm);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&m);
	alarm(1);
	sleep(2);
	counter++;
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	return 0;
}
