/* A program that forks while weft controls it: the child runs on its own,
 * outside weft's control (its mutex and thread calls go to the real
 * functions), and the parent goes on under weft.
 *
 * Count: main creates T1 (step 0), then forks and waits for the child
 * without any scheduling point, then joins T1. After step 0 main's pending
 * join is blocked until T1 exits, so only T1 can run: start, lock, unlock,
 * exit; then main joins and exits. No step has a choice: 1 execution.
 *
 * weft-expect: ok 1
 */
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pid_t child = fork();
	if (child == 0) {
		/* real calls: this process is not under weft */
		pthread_t u;
		pthread_create(&u, NULL, worker, NULL);
		pthread_join(u, NULL);
		_exit(7);
	}
	int status;
	waitpid(child, &status, 0);
	pthread_join(t, NULL);
	return WIFEXITED(status) && WEXITSTATUS(status) == 7 ? 0 : 1;
}
