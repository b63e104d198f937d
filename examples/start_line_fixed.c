/* start_line.c with the check for room under the lock: every order the
 * workers can take after the start flag registers exactly one of them.
 * The spinning workers are preempted as in start_line.c, and the
 * exploration completes: 132 executions under DFS, 2 under DPOR (which
 * cannot see the flag, plain memory, and orders the workers by the lock).
 *
 * weft-expect: ok 132
 * weft-expect-dpor: 2
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
	pthread_mutex_lock(&lock);
	if (registered < ROOM) /* the check, under the lock */
		table[registered++] = (int)(long)arg;
	pthread_mutex_unlock(&lock);
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
	assert(registered == 1);
	return 0;
}
