/* Three workers take one lock in turn and record the order; what the
 * program then does depends on that order and on its argument, so that a
 * process restored in place at the first branch point (--snapshots,
 * snapshot.c) must hand the explorer back to the fork server in each of
 * the ways it can (threads_modes.sh):
 *   crash  the order 2, 1, 3 writes through a null pointer: the process
 *          serving at the branch point dies in an execution;
 *   child  the order 2, 3, 1 leaves a child process: the process answers,
 *          cannot put itself back and ends between two executions;
 *   ok     nothing: under the default strategy, the sampling after DPOR
 *          draws before the first choice, so its requests go back to the
 *          fork server, to start from main;
 *   fd     main opens a descriptor before the workers start: no snapshot
 *          is taken (every execution would share its offset), and the
 *          summary says why.
 * DPOR explores the 3! = 6 orders, in this order: 123 (the first
 * execution, from main, which makes the snapshot), 132, 213, 231, 312,
 * 321. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int order[3], entered;

static void *worker(void *arg)
{
	pthread_mutex_lock(&m);
	order[entered++] = (int)(long)arg;
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "ok";
	if (strcmp(mode, "fd") == 0 && open("/dev/null", O_RDONLY) < 0)
		return 1;
	pthread_t t[3];
	for (long i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, worker, (void *)(i + 1));
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	if (strcmp(mode, "crash") == 0 && order[0] == 2 && order[1] == 1)
		*(volatile int *)0 = 1;
	if (strcmp(mode, "child") == 0 && order[0] == 2 && order[1] == 3 && fork() == 0) {
		pause();
		_exit(0);
	}
	return 0;
}
