/* glibc's default read-write lock prefers readers: main, holding a read
 * lock, takes a second one although a writer waits, and nothing deadlocks.
 * PTHREAD_RWLOCK_PREFER_WRITER_NP behaves the same in glibc (only the
 * _NONRECURSIVE_ kind prefers writers: t3_bug_rwlock_writer_preference).
 *
 * Count: main = R0, C, R0', U0, U0', J, X; worker = S, W1, U1, E1. The
 * write lock waits until both read locks are gone, so S goes before R0',
 * between R0' and U0, between U0 and U0', or after U0'; then W1 U1 E1 J X
 * are forced: 4 executions.
 *
 * weft-expect: ok 4
 * Optimal DPOR explores one execution per happens-before order. The four
 * differ only in where S goes among R0' U0 U0', and S commutes with them
 * (a thread's start touches only its own thread); W1 follows U0' in all of
 * them. 1.
 * weft-expect-dpor: 1
 */
#define _GNU_SOURCE
#include <pthread.h>

static pthread_rwlock_t lock;

static void *writer(void *arg)
{
	(void)arg;
	pthread_rwlock_wrlock(&lock);
	pthread_rwlock_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_rwlockattr_t attr;
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NP);
	pthread_rwlock_init(&lock, &attr);
	pthread_rwlock_rdlock(&lock);
	pthread_t t;
	pthread_create(&t, NULL, writer, NULL);
	pthread_rwlock_rdlock(&lock);
	pthread_rwlock_unlock(&lock);
	pthread_rwlock_unlock(&lock);
	pthread_join(t, NULL);
	return 0;
}
