/* A thread joined twice (a cleanup path that joins again): the second
 * pthread_join names a thread that no longer exists. weft reports misuse.
 *
 * weft-expect: bug misuse
 */
#include <pthread.h>

static void *worker(void *arg)
{
	return arg;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	pthread_join(t, NULL); /* wrong: already joined */
	return 0;
}
