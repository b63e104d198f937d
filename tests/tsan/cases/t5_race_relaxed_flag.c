/* t5_ok_flag_spin.c with relaxed orders: the flag still arrives (weft runs
 * sequentially consistent executions), but a relaxed store does not
 * publish the buffer, so its accesses race.
 * weft-expect: bug data-race */
#include <pthread.h>
#include <stdatomic.h>

static int data[4];
static atomic_int ready;

static void *writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 4; i++)
		data[i] = i * i;
	atomic_store_explicit(&ready, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, writer, NULL);
	while (!atomic_load_explicit(&ready, memory_order_relaxed))
		;
	int last = data[3];
	pthread_join(t, NULL);
	return last != 9;
}
