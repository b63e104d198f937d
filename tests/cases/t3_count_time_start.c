/* --time-start sets where CLOCK_REALTIME begins (here 2023-11-14T22:13:20.5
 * UTC); the monotonic clocks begin at 1000 s whatever it says. Every clock
 * interface reads the same virtual time.
 *
 * Count: one thread: 1 execution.
 *
 * weft-options: --time-start=1700000000.5
 * weft-expect: ok 1
 */
#define _GNU_SOURCE
#include <assert.h>
#include <sys/time.h>
#include <time.h>

int main(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	assert(ts.tv_sec == 1700000000 && ts.tv_nsec == 500000000);
	clock_gettime(CLOCK_REALTIME_COARSE, &ts);
	assert(ts.tv_sec == 1700000000 && ts.tv_nsec == 500000000);
	clock_gettime(CLOCK_TAI, &ts);
	assert(ts.tv_sec == 1700000037 && ts.tv_nsec == 500000000);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	assert(ts.tv_sec == 1000 && ts.tv_nsec == 0);
	clock_gettime(CLOCK_BOOTTIME, &ts);
	assert(ts.tv_sec == 1000 && ts.tv_nsec == 0);
	struct timeval tv;
	gettimeofday(&tv, NULL);
	assert(tv.tv_sec == 1700000000 && tv.tv_usec == 500000);
	assert(time(NULL) == 1700000000);
	timespec_get(&ts, TIME_UTC);
	assert(ts.tv_sec == 1700000000 && ts.tv_nsec == 500000000);
	return 0;
}
