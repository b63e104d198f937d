/* Every execution spins forever in a thread that makes no call weft sees,
 * so that the execution is running when weft is killed. */
#include <pthread.h>

static volatile int stop;

static void *spin(void *arg)
{
	(void)arg;
	while (!stop)
		;
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, spin, NULL);
	pthread_join(t, NULL);
	return 0;
}
