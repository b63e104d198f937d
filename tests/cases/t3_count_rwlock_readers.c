/* Two readers of one read-write lock never exclude each other: every
 * interleaving of their sections is possible (with a mutex, 6).
 *
 * Count: main = C, R0, U0, J, X; worker = S, R1, U1, E1. After C, every
 * order of {R0 U0} and {S R1 U1 E1} is possible: C(6,2) = 15; then J X.
 * 15 executions.
 *
 * weft-expect: ok 15
 * Optimal DPOR explores one execution per happens-before order. Two read
 * locks of one rwlock commute, and so do a read lock and another thread's
 * read unlock (a read lock waits only for a writer): R0 U0 are independent
 * of S R1 U1 E1, C comes before S and E1 before J, so all 15 are one order.
 * weft-expect-dpor: 1
 */
#include <assert.h>
#include <pthread.h>

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static int value = 7;

static void *reader(void *arg)
{
	(void)arg;
	pthread_rwlock_rdlock(&lock);
	assert(value == 7);
	pthread_rwlock_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, reader, NULL);
	pthread_rwlock_rdlock(&lock);
	assert(value == 7);
	pthread_rwlock_unlock(&lock);
	pthread_join(t, NULL);
	return 0;
}
