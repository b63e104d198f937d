/* A test harness that lines its workers up behind a start flag, as many
 * do: each worker spins on `while (!go) ;` (a volatile flag, no call weft
 * sees) and then registers itself in a table with room for one, checking
 * for room before it takes the lock. weft preempts the spinning workers
 * (operation `spin`) so that main can raise the flag, and finds the order
 * where both see room before either takes the lock: the table overflows.
 * start_line_fixed.c checks under the lock.
 *
 *   weft run -- ./build/examples/start_line
 *
 * weft-expect: bug assertion
 */
#include <assert.h>
#include <pthread.h>

#define ROOM 1

static volatile int go;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int table[ROOM + 1], registered;

static void *worker(void *arg)
{
	while (!go)
		;
	if (registered < ROOM) { /* the check, outside the lock */
		pthread_mutex_lock(&lock);
		table[registered++] = (int)(long)arg;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	go = 1;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert(registered <= ROOM);
	return 0;
}
