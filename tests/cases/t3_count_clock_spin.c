/* A loop that waits for the clock to pass a point makes no scheduling
 * point, so no thread ever blocks and the clock would never move. weft
 * advances it by 1 ms every 1000 reads in a row (WEFT_CLOCK_SPIN_READS),
 * so this 3 s busy-wait ends after some 3 million reads, and the time it
 * sees still comes out the same in every run.
 *
 * Count: one thread: 1 execution.
 *
 * weft-expect: ok 1
 */
#include <assert.h>
#include <time.h>

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

int main(void)
{
	long long start = now_ns();
	long long reads = 1;
	while (now_ns() < start + 3000000000ll)
		reads++;
	/* Every 1000th read moves the clock on by 1 ms: the 3000th move comes
	 * with read number 3000000, the loop's last (the first read is
	 * start's). A few reads before main would shift the count by as many. */
	assert(reads >= 2999000 && reads <= 3000000 - 1);
	clock_t cpu = clock();
	assert(cpu >= 3 * CLOCKS_PER_SEC);
	return 0;
}
