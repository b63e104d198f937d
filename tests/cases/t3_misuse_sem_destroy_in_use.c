/* A worker destroys the semaphore main waits on (nobody ever posts it).
 *
 * weft-expect: bug misuse
 * weft-expect-dpor: bug misuse
 */
#include <pthread.h>
#include <semaphore.h>

static sem_t sem;

static void *worker(void *arg)
{
	(void)arg;
	sem_destroy(&sem);
	return NULL;
}

int main(void)
{
	sem_init(&sem, 0, 0);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	sem_wait(&sem);
	pthread_join(t, NULL);
	return 0;
}
