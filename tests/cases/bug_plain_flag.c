/* Two threads that communicate only through a plain variable, in a build
 * not instrumented with -fsanitize=thread: the worker sets `shared`, main
 * asserts it is still 0 after locking a mutex of its own. Each thread's
 * synchronisation calls touch objects of its own, so to DPOR every order of
 * them is one happens-before order: `--strategy dpor` explores 1 execution
 * and misses the assertion, and may only claim to be complete "for the
 * operations weft sees" (tests/unseen.sh checks that). The default strategy
 * then samples the whole program with PCT and finds it; so does `dfs`.
 *
 * weft-expect: bug assertion
 */
#include <assert.h>
#include <pthread.h>

static pthread_mutex_t mine = PTHREAD_MUTEX_INITIALIZER, theirs = PTHREAD_MUTEX_INITIALIZER;
static volatile int shared;

static void *worker(void *arg)
{
	(void)arg;
	shared = 1;
	pthread_mutex_lock(&theirs);
	pthread_mutex_unlock(&theirs);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&mine);
	pthread_mutex_unlock(&mine);
	assert(shared == 0);
	pthread_join(t, NULL);
	return 0;
}
