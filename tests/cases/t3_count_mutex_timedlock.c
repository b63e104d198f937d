/* pthread_mutex_timedlock against a holder that sleeps 2 s: a worker with a
 * 1 s timeout gives up (ETIMEDOUT at exactly 1 s), a second one with a 3 s
 * timeout gets the lock when the holder lets go at 2 s. Then the checks a
 * single thread can make: EINVAL for a bad time only when the lock is not
 * free, EINVAL for a clock pthread_mutex_clocklock cannot use, and a
 * recursive mutex (its type from the attribute) relocked with a timeout.
 *
 * Count: each round is main = L0, C, S0 (sleep 2 s), U0, J; worker = S, T
 * (timed lock), [U1], E1. After C main sleeps: S forced, then nobody can
 * run. Round 1: the clock jumps to 1 s, T times out, E1, the clock jumps
 * to 2 s, S0 U0 J. Round 2: the clock jumps to 2 s (main's deadline comes
 * first), S0 U0, now T can lock, U1 E1 J. No step has two candidates:
 * 1 execution.
 *
 * weft-expect: ok 1
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static long long start;
static long long timeout_ns;
static int result;
static long long done_at;

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static struct timespec in(long long ns)
{
	long long t = now_ns() + ns;
	return (struct timespec){t / 1000000000, t % 1000000000};
}

static void *worker(void *arg)
{
	(void)arg;
	struct timespec at = in(timeout_ns);
	result = pthread_mutex_timedlock(&m, &at);
	done_at = now_ns() - start;
	if (result == 0)
		pthread_mutex_unlock(&m);
	return NULL;
}

static void round_with(long long timeout)
{
	timeout_ns = timeout;
	start = now_ns();
	pthread_mutex_lock(&m);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	sleep(2);
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
}

int main(void)
{
	round_with(1000000000);
	assert(result == ETIMEDOUT && done_at == 1000000000);
	round_with(3000000000);
	assert(result == 0 && done_at == 2000000000);

	struct timespec bad = {0, -1};
	assert(pthread_mutex_timedlock(&m, &bad) == 0); /* free: not checked */
	assert(pthread_mutex_unlock(&m) == 0);
	struct timespec at = in(1000000000);
	assert(pthread_mutex_clocklock(&m, CLOCK_THREAD_CPUTIME_ID, &at) == EINVAL);

	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_t r;
	pthread_mutex_init(&r, &attr);
	assert(pthread_mutex_lock(&r) == 0);
	assert(pthread_mutex_clocklock(&r, CLOCK_MONOTONIC, &bad) == 0);
	assert(pthread_mutex_unlock(&r) == 0 && pthread_mutex_unlock(&r) == 0);
	pthread_mutex_destroy(&r);
	return 0;
}
