/* alarm_logger.c fixed: the watchdog's handler reports with write(2),
 * which is async-signal-safe and takes no lock, so whichever thread the
 * alarm lands on, the handler cannot wait for a mutex its own thread holds.
 *
 * weft-expect: ok 730
 * weft-expect-dpor: 267 58
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void log_line(const char *who, int step)
{
	pthread_mutex_lock(&log_lock);
	printf("%s: step %d\n", who, step);
	fflush(stdout);
	usleep(300000); /* the sink takes its time */
	pthread_mutex_unlock(&log_lock);
}

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "watchdog: still running\n";
	write(STDOUT_FILENO, msg, sizeof msg - 1); /* async-signal-safe: no lock */
}

static void *worker(void *name)
{
	for (int step = 0; step < 3; step++)
		log_line(name, step);
	return NULL;
}

int main(void)
{
	signal(SIGALRM, on_alarm);
	alarm(1);
	pthread_t a, b;
	pthread_create(&a, NULL, worker, "a");
	pthread_create(&b, NULL, worker, "b");
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
