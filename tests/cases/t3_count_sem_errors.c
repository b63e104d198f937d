/* The results of semaphore calls in one thread, POSIX-exact: -1 with errno
 * EAGAIN from sem_trywait on 0, ETIMEDOUT from a timed wait at exactly its
 * deadline, EINVAL for a bad time or clock (checked before anything else,
 * as glibc does) and for an initial value above SEM_VALUE_MAX;
 * sem_getvalue reports the value.
 *
 * Count: one thread: 1 execution.
 *
 * weft-expect: ok 1
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <semaphore.h>
#include <time.h>

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

int main(void)
{
	sem_t sem;
	int value;
	assert(sem_init(&sem, 0, (unsigned)SEM_VALUE_MAX + 1) == -1 && errno == EINVAL);
	assert(sem_init(&sem, 0, 2) == 0);
	assert(sem_getvalue(&sem, &value) == 0 && value == 2);
	assert(sem_trywait(&sem) == 0 && sem_wait(&sem) == 0);
	assert(sem_trywait(&sem) == -1 && errno == EAGAIN);
	assert(sem_getvalue(&sem, &value) == 0 && value == 0);

	long long start = now_ns();
	struct timespec at;
	clock_gettime(CLOCK_REALTIME, &at);
	at.tv_sec += 3;
	assert(sem_timedwait(&sem, &at) == -1 && errno == ETIMEDOUT);
	assert(now_ns() - start == 3000000000ll);
	clock_gettime(CLOCK_MONOTONIC, &at);
	at.tv_sec += 1;
	assert(sem_clockwait(&sem, CLOCK_MONOTONIC, &at) == -1 && errno == ETIMEDOUT);
	assert(now_ns() - start == 4000000000ll);

	assert(sem_post(&sem) == 0);
	assert(sem_clockwait(&sem, CLOCK_BOOTTIME, &at) == -1 && errno == EINVAL);
	at.tv_nsec = 1000000000;
	assert(sem_timedwait(&sem, &at) == -1 && errno == EINVAL);
	at.tv_nsec = 0;
	assert(sem_timedwait(&sem, &at) == 0); /* a past deadline, but the value is there */
	assert(now_ns() - start == 4000000000ll);
	assert(sem_destroy(&sem) == 0);
	return 0;
}
