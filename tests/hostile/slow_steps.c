/* An execution that makes a step every few milliseconds of computation for
 * a few seconds: it is slow, not stuck. tests/hostile.sh stops it with
 * SIGSTOP for longer than the hang timeout and lets it go on: a thread that
 * is not given the CPU is not a hang. */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static volatile unsigned long sink;

int main(void)
{
	for (int step = 0; step < 400; step++) {
		for (unsigned long i = 0; i < 12000000; i++)
			sink += i;
		pthread_mutex_lock(&m);
		pthread_mutex_unlock(&m);
	}
	return 0;
}
