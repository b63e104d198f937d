/* Two workers that each take one shared read-write lock for reading: the
 * shape of count_own_mutexes.c, with one lock both use. Read locks never
 * exclude each other (glibc's default kind prefers readers), so plain DFS
 * explores as many interleavings as with separate mutexes.
 *
 * Count: main = C1 C2 J1 J2 X, worker i = Si Ri Ui Ei (read lock, unlock).
 * No step ever waits for another's lock, so, as in count_own_mutexes.c, C1
 * is first and J2 X last; C2 takes one of 5 places among S1 R1 U1 E1 (J1
 * after E1, with it), and with C2 at place p (0..4) worker 2's 4 steps
 * interleave with the 5 - p events after it: C(9 - p, 4) ways.
 *   126 + 70 + 35 + 15 + 5 = 251 executions.
 *
 * weft-expect: ok 251
 * Optimal DPOR explores one execution per happens-before order: two read
 * locks of one rwlock commute, and so does a read lock with the other
 * reader's unlock; C1 < S1, C2 < S2, E1 < J1 and E2 < J2 are the only
 * orders, as with two mutexes of their own: 1.
 * weft-expect-dpor: 1
 */
#include <assert.h>
#include <pthread.h>

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static int config = 42;

static void *reader(void *arg)
{
	(void)arg;
	pthread_rwlock_rdlock(&lock);
	assert(config == 42);
	pthread_rwlock_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, reader, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return 0;
}
