/* A watchdog that logs. Two workers write progress lines through one
 * logger, which holds its mutex while a line is flushed to a slow sink.
 * main arms alarm(1) as a watchdog whose handler reports "still running"
 * through the same logger. When the alarm rings, one worker is inside the
 * logger and the other waits for it (and main waits in pthread_join): if
 * the kernel hands the signal to a thread that does not hold the logger's
 * mutex, the handler waits its turn and all is well; if it hands it to the
 * worker holding it, the handler relocks that mutex and the program hangs
 * for good. Which thread gets it is up to the kernel, so the hang comes and
 * goes; weft runs the alarm on its virtual clock (no real second passes),
 * explores every thread that could take the signal, and reports the relock
 * with a token that replays it. alarm_logger_fixed.c reports from the
 * handler with write(2), which takes no lock.
 *
 * weft-expect: bug misuse
 * weft-expect-dpor: bug misuse
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
	log_line("watchdog", 0); /* BUG: takes a lock inside a signal handler */
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
