/* A loop that spins on a flag until an alarm's handler sets it: the spin
 * is preempted (a timer to come may end it), the virtual clock jumps to the
 * alarm, and the loop ends. Not a livelock (tests/timers.sh). */
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

static volatile sig_atomic_t done;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void on_alarm(int sig)
{
	(void)sig;
	done = 1;
}

int main(void)
{
	signal(SIGALRM, on_alarm);
	pthread_mutex_lock(&m);
	pthread_mutex_unlock(&m);
	alarm(1);
	while (!done) {
	}
	return 0;
}
