/* A writer (main) and a reader exclude each other.
 *
 * Count: main = C, W0, U0, J, X; worker = S, R1, U1, E1.
 *   main's section first: S before W0, between W0 and U0 or after U0; then
 *     R1 U1 E1 J X: 3.
 *   the reader's first: S R1 before W0, main's write lock waits through
 *     U1, then E1 before W0, between W0 and U0 or after U0: 3.
 * 6 executions.
 *
 * weft-expect: ok 6
 * Optimal DPOR explores one execution per happens-before order: the write
 * lock and its unlock are dependent with the read lock and its unlock, so
 * the order is fixed by which section goes first; S and E1 only move
 * against events they commute with (main's section). 2.
 * weft-expect-dpor: 2
 */
#include <assert.h>
#include <pthread.h>

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static int a, b;

static void *reader(void *arg)
{
	(void)arg;
	pthread_rwlock_rdlock(&lock);
	assert(a == b);
	pthread_rwlock_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, reader, NULL);
	pthread_rwlock_wrlock(&lock);
	a++;
	b++;
	pthread_rwlock_unlock(&lock);
	pthread_join(t, NULL);
	return 0;
}
