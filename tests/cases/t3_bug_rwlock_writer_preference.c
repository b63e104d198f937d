/* The program of t3_count_rwlock_reader_preference with a writer-preferring
 * lock (PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP): once the writer
 * waits, main's second read lock waits behind it, and the writer waits for
 * main's first: a deadlock.
 *
 * weft-expect: bug deadlock
 * weft-expect-dpor: bug deadlock
 */
#define _GNU_SOURCE
#include <pthread.h>

static pthread_rwlock_t lock = PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;

static void *writer(void *arg)
{
	(void)arg;
	pthread_rwlock_wrlock(&lock);
	pthread_rwlock_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_rwlock_rdlock(&lock);
	pthread_t t;
	pthread_create(&t, NULL, writer, NULL);
	pthread_rwlock_rdlock(&lock);
	pthread_rwlock_unlock(&lock);
	pthread_rwlock_unlock(&lock);
	pthread_join(t, NULL);
	return 0;
}
