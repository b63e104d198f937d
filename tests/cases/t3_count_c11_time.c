/* C11 calls that involve time or run once, in one thread: thrd_sleep,
 * mtx_timedlock and cnd_timedwait (thrd_timedout at their deadline),
 * mtx_trylock (thrd_busy), a recursive mtx_t, call_once, thrd_yield,
 * timespec_get.
 *
 * Count: one thread: 1 execution.
 *
 * weft-expect: ok 1
 */
#include <assert.h>
#include <threads.h>
#include <time.h>

static int runs;

static void init(void)
{
	runs++;
}

static long long now_ns(void)
{
	struct timespec ts;
	timespec_get(&ts, TIME_UTC);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static struct timespec in(long long ns)
{
	long long t = now_ns() + ns;
	return (struct timespec){t / 1000000000, t % 1000000000};
}

int main(void)
{
	once_flag once = ONCE_FLAG_INIT;
	call_once(&once, init);
	call_once(&once, init);
	assert(runs == 1);

	long long start = now_ns();
	struct timespec d = {0, 250000000};
	assert(thrd_sleep(&d, NULL) == 0);
	assert(now_ns() - start == 250000000);
	d.tv_nsec = -1;
	assert(thrd_sleep(&d, NULL) < -1);

	mtx_t m, r;
	cnd_t c;
	assert(mtx_init(&m, mtx_timed) == thrd_success);
	assert(mtx_init(&r, mtx_plain | mtx_recursive) == thrd_success);
	assert(cnd_init(&c) == thrd_success);
	assert(mtx_lock(&r) == thrd_success && mtx_trylock(&r) == thrd_success);
	assert(mtx_unlock(&r) == thrd_success && mtx_unlock(&r) == thrd_success);
	assert(mtx_lock(&m) == thrd_success);
	assert(mtx_trylock(&m) == thrd_busy);
	struct timespec at = in(1000000000);
	assert(cnd_timedwait(&c, &m, &at) == thrd_timedout);
	assert(now_ns() - start == 1250000000);
	thrd_yield();
	assert(mtx_unlock(&m) == thrd_success);
	at = in(1000000000);
	assert(mtx_timedlock(&m, &at) == thrd_success);
	mtx_unlock(&m);
	cnd_destroy(&c);
	mtx_destroy(&m);
	mtx_destroy(&r);
	return 0;
}
