/* A recursive mutex used correctly: main and a worker each take it twice
 * (an outer function calling an inner one that locks again) and release it
 * twice.
 *
 * Count: each thread's section is 4 steps L L U U; main = C, section, J, X;
 * worker = S, section, E.
 *   main's section first: S takes one of 5 places among (before, between,
 *     after) main's 4 steps; the rest is forced: 5.
 *   the worker's section first: S and its section come first, then E1 takes
 *     one of 5 places among main's 4 steps: 5.
 * 5 + 5 = 10 executions.
 *
 * weft-expect: ok 10
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 2.
 * weft-expect-dpor: 2
 */
#include <pthread.h>

static pthread_mutex_t m;
static int balance;

static void deposit(int amount)
{
	pthread_mutex_lock(&m);
	balance += amount;
	pthread_mutex_unlock(&m);
}

static void deposit_twice(int amount)
{
	pthread_mutex_lock(&m);
	deposit(amount);
	balance += amount;
	pthread_mutex_unlock(&m);
}

static void *worker(void *arg)
{
	(void)arg;
	deposit_twice(1);
	return NULL;
}

int main(void)
{
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&m, &attr);
	pthread_mutexattr_destroy(&attr);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	deposit_twice(10);
	pthread_join(t, NULL);
	pthread_mutex_destroy(&m);
	return balance == 22 ? 0 : 1;
}
