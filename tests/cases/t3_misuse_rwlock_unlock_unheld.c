/* A thread unlocks a read-write lock that only another thread holds (for
 * reading). POSIX leaves that undefined; weft reports it on the spot.
 *
 * weft-expect: bug misuse
 * weft-expect-dpor: bug misuse
 */
#include <pthread.h>

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;

static void *reader(void *arg)
{
	(void)arg;
	pthread_rwlock_rdlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, reader, NULL);
	pthread_join(t, NULL);
	pthread_rwlock_unlock(&lock);
	return 0;
}
