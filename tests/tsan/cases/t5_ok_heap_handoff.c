/* Blocks handed from thread to thread through a mutex-protected slot, each
 * freed by the thread that took it, and the memory reused by malloc in
 * another thread: freeing forgets a block's history, so the reuse is not
 * taken for a race.
 * weft-expect: ok 226 */
#include <assert.h>
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int *slot;

static void *consumer(void *arg)
{
	(void)arg;
	for (int taken = 0; taken < 2;) {
		pthread_mutex_lock(&lock);
		int *block = slot;
		slot = NULL;
		pthread_mutex_unlock(&lock);
		if (block) {
			assert(block[0] == block[1]);
			free(block);
			taken++;
		} else {
			sched_yield();
		}
	}
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, consumer, NULL);
	for (int i = 0; i < 2;) {
		int *block = malloc(2 * sizeof *block);
		block[0] = block[1] = i;
		pthread_mutex_lock(&lock);
		if (!slot) {
			slot = block;
			block = NULL;
			i++;
		}
		pthread_mutex_unlock(&lock);
		if (block) {
			free(block);
			sched_yield();
		}
	}
	pthread_join(t, NULL);
	return 0;
}
