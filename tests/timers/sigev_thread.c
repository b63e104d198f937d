/* A POSIX timer that starts a thread at its expiry (SIGEV_THREAD) is not
 * modelled: weft stops with exit 2 naming it and the way out. */
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void expired(union sigval v)
{
	(void)v;
}

int main(void)
{
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_THREAD;
	ev.sigev_notify_function = expired;
	timer_t id;
	timer_create(CLOCK_MONOTONIC, &ev, &id);
	struct itimerspec once = {{0, 0}, {1, 0}};
	timer_settime(id, 0, &once, NULL);
	sleep(2);
	return 0;
}
