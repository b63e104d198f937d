/* A reader tries to upgrade its read lock to a write lock without letting
 * go of the read lock: the writer waits for the last reader, itself, for
 * ever (glibc does not detect it). weft reports the upgrade as misuse.
 *
 * weft-expect: bug misuse
 * weft-expect-dpor: bug misuse
 */
#include <pthread.h>

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static int value;

int main(void)
{
	pthread_rwlock_rdlock(&lock);
	if (value == 0) {
		pthread_rwlock_wrlock(&lock);
		value = 1;
	}
	pthread_rwlock_unlock(&lock);
	return 0;
}
