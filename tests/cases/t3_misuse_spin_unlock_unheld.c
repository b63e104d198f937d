/* A spin lock unlocked by a thread that does not hold it.
 *
 * weft-expect: bug misuse
 */
#include <pthread.h>

static pthread_spinlock_t lock;

static void *worker(void *arg)
{
	(void)arg;
	pthread_spin_lock(&lock);
	return NULL;
}

int main(void)
{
	pthread_spin_init(&lock, PTHREAD_PROCESS_PRIVATE);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	pthread_spin_unlock(&lock);
	return 0;
}
