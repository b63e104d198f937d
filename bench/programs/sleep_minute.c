/* Sleeps a minute of virtual time in total: main sleeps 59 times 1 s while
 * a worker sleeps 60 s at once, then main joins it. Natively it takes 60 s;
 * under weft it is one execution (no two deadlines ever fall together),
 * and its wall time is what bench/sleep_minute.sh measures. */
#include <assert.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

static void *worker(void *arg)
{
	(void)arg;
	sleep(60);
	return NULL;
}

int main(void)
{
	struct timespec start, end;
	clock_gettime(CLOCK_MONOTONIC, &start);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	for (int i = 0; i < 59; i++)
		sleep(1);
	pthread_join(t, NULL);
	clock_gettime(CLOCK_MONOTONIC, &end);
	assert(end.tv_sec - start.tv_sec >= 60);
	return 0;
}
