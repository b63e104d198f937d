/* A lookup table behind a read-write lock: readers look up under the read
 * lock, and on a miss the code "upgrades" to the write lock to insert the
 * value, without letting go of the read lock first. POSIX read-write locks
 * cannot be upgraded: the write lock waits for every reader to leave,
 * including the caller itself, for ever.
 *
 * What weft finds: misuse, at the upgrade.
 *
 * weft-expect: bug misuse
 */
#include <pthread.h>

#define KEYS 4

static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static int table[KEYS];

static int lookup_or_insert(int key)
{
	pthread_rwlock_rdlock(&table_lock);
	int value = table[key];
	if (value == 0) {
		pthread_rwlock_wrlock(&table_lock); /* BUG: still holds the read lock */
		value = table[key] = key * 10 + 1;
		pthread_rwlock_unlock(&table_lock);
	}
	pthread_rwlock_unlock(&table_lock);
	return value;
}

static void *reader(void *arg)
{
	(void)arg;
	lookup_or_insert(1);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, reader, NULL);
	lookup_or_insert(2);
	pthread_join(t, NULL);
	return 0;
}
