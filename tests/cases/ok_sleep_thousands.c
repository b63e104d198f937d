/* A correct program that simply runs long: 30000 sleeps of 1 ms, each a
 * step, more than the 20000 steps that used to be the livelock bound.
 * Every sleep moves the virtual clock, which is progress, and the step
 * bound is now a fuse far above: no livelock, one execution, in a fraction
 * of a second of real time.
 *
 * weft-expect: ok 1
 * weft-expect-dpor: 1
 */
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 30000; i++)
		usleep(1000);
	return 0;
}
