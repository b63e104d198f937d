/* The main thread spins on a plain variable that only a worker it never
 * lets run would set: no call weft sees, so the exploration reports a hang
 * after --hang-timeout. The report must say where the thread spins. */
#include <pthread.h>

static volatile int flag;

static void *setter(void *arg)
{
	(void)arg;
	flag = 1;
	return NULL;
}

static void wait_flag(void)
{
	while (!flag) /* line 17 */
		;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, setter, NULL);
	pthread_detach(t);
	wait_flag();
	return 0;
}
