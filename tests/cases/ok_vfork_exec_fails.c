/* The classic vfork pattern: the child execs, and when the exec fails it
 * leaves with _exit. The child must run outside weft, as a forked child
 * does, not in the parent's records (a vfork child borrows the parent's
 * memory and thread): otherwise its _exit ends main's thread in the
 * parent's execution and the join reads as a deadlock.
 *
 * Count: the vfork, the failed exec and the wait make no scheduling
 * point, so this is count_main_and_worker_one_mutex.c: main = create, L0,
 * U0, join, exit; worker = start S, L1, U1, E1. Main's section first: S
 * before L0, between L0 and U0, or after U0 (3); the worker's first: E1
 * before L0, between them, or after U0 (3). 6 executions, in 2
 * happens-before orders.
 *
 * weft-expect: ok 6
 * weft-expect-dpor: 2
 */
#include <assert.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int count;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	count++;
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pid_t pid = vfork();
	if (pid == 0) {
		execl("/nonexistent/weft-test-program", "program", (char *)NULL);
		_exit(7);
	}
	int status = 0;
	assert(pid > 0 && waitpid(pid, &status, 0) == pid);
	assert(WIFEXITED(status) && WEXITSTATUS(status) == 7);
	pthread_mutex_lock(&m);
	count++;
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	assert(count == 2);
	return 0;
}
