/* The results of read-write lock calls that do not block, in one thread:
 * try-locks that fail with EBUSY, timed locks that time out at their
 * deadline, EINVAL for a bad time or clock (checked first, as glibc does).
 *
 * Count: one thread: 1 execution.
 *
 * weft-expect: ok 1
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <time.h>

static struct timespec in(clockid_t clock, long sec)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	ts.tv_sec += sec;
	return ts;
}

int main(void)
{
	pthread_rwlock_t lock;
	assert(pthread_rwlock_init(&lock, NULL) == 0);
	struct timespec start = in(CLOCK_MONOTONIC, 0);

	assert(pthread_rwlock_rdlock(&lock) == 0);
	assert(pthread_rwlock_tryrdlock(&lock) == 0);
	assert(pthread_rwlock_trywrlock(&lock) == EBUSY);
	struct timespec at = in(CLOCK_REALTIME, 2);
	assert(pthread_rwlock_timedrdlock(&lock, &at) == 0);
	assert(pthread_rwlock_unlock(&lock) == 0);
	assert(pthread_rwlock_unlock(&lock) == 0);
	assert(pthread_rwlock_unlock(&lock) == 0);

	assert(pthread_rwlock_wrlock(&lock) == 0);
	assert(pthread_rwlock_tryrdlock(&lock) == EBUSY);
	assert(pthread_rwlock_trywrlock(&lock) == EBUSY);
	assert(pthread_rwlock_unlock(&lock) == 0);

	/* Timeouts need another holder: a reader blocks a timed writer. */
	assert(pthread_rwlock_rdlock(&lock) == 0);
	at = in(CLOCK_REALTIME, 2);
	assert(pthread_rwlock_timedwrlock(&lock, &at) == ETIMEDOUT);
	at = in(CLOCK_MONOTONIC, 3);
	assert(pthread_rwlock_clockwrlock(&lock, CLOCK_MONOTONIC, &at) == ETIMEDOUT);
	struct timespec end = in(CLOCK_MONOTONIC, 0);
	assert(end.tv_sec - start.tv_sec == 5 && end.tv_nsec == start.tv_nsec);

	at.tv_nsec = -5;
	assert(pthread_rwlock_timedrdlock(&lock, &at) == EINVAL);
	at = in(CLOCK_REALTIME, 1);
	assert(pthread_rwlock_clockrdlock(&lock, CLOCK_BOOTTIME, &at) == EINVAL);
	assert(pthread_rwlock_unlock(&lock) == 0);
	assert(pthread_rwlock_destroy(&lock) == 0);
	return 0;
}
