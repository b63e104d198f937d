/* What a restore in place cannot put back ends the resident process
 * instead, and later executions start from a fork: with "child", every
 * execution leaves a child process behind (a zombie it never waits for);
 * with "crash", the executions in which the worker takes the lock first
 * abort. Either way the verdict and the count are those of kernel threads.
 * With "plain", neither.
 * usage: restore_child child|crash|plain */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int turns;

static void *worker(void *arg)
{
	pthread_mutex_lock(&m);
	turns++;
	pthread_mutex_unlock(&m);
	return arg;
}

int main(int argc, char **argv)
{
	int crash = argc > 1 && strcmp(argv[1], "crash") == 0;
	int plain = argc > 1 && strcmp(argv[1], "plain") == 0;
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	if (!crash && !plain && fork() == 0)
		_exit(0);
	pthread_mutex_lock(&m);
	if (crash && turns == 1)
		abort();
	turns++;
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	return 0;
}
