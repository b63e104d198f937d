/* A TAP-style test that prints its plan and results on stdout, a note on
 * stderr, and fails with exit status 1 in every interleaving: its report
 * (found in execution 1) must carry both streams in the order written, and
 * the coverage lines must count that execution. */
#include <pthread.h>
#include <stdio.h>

static void *worker(void *arg)
{
	(void)arg;
	printf("# worker ran\n");
	return NULL;
}

int main(void)
{
	printf("1..2\n");
	fprintf(stderr, "# starting (stderr)\n");
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	printf("ok 1 - joined\n");
	printf("not ok 2 - the answer was lost\n");
	return 1;
}
