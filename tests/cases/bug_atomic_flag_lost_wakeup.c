/* A lost wake-up through an atomic_int flag, in a build not instrumented
 * with -fsanitize=thread: the worker checks `ready` with `if` under the
 * mutex and waits; main sets the flag and signals without taking the mutex.
 * If main's store and signal fall between the worker's check and its wait,
 * the signal is lost and the worker waits forever (main joins it: a
 * deadlock).
 *
 * The sequentially consistent store compiles to `mov; mfence` (gcc) or
 * `xchg` (clang); weft traps it (interpose/atomic_trap.c), so it is a
 * scheduling point of its own. Without the trap, main would run on from
 * pthread_create through the store to the signal before the worker could
 * look at the flag, and no schedule would show the bug. The worker's
 * atomic_load is a plain mov that weft does not see, so DPOR has no race
 * to reverse there; the default strategy's PCT samples after DPOR find it
 * (the seed fixes which execution), and dfs does too.
 *
 * weft-expect: bug deadlock
 * weft-options: --seed 1
 */
#include <pthread.h>
#include <stdatomic.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static atomic_int ready;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	if (!atomic_load(&ready)) /* wrong: `if`, and the flag may be set right after */
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	atomic_store(&ready, 1);
	pthread_cond_signal(&cond); /* wrong: without the mutex */
	pthread_join(t, NULL);
	return 0;
}
