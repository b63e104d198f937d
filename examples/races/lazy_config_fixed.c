/* Double-checked initialisation done right: the pointer is atomic, the
 * fast path loads it with acquire and the builder stores it with release,
 * so a thread that sees the pointer also sees the fields written before
 * it. The second check, under the lock, may be relaxed. weft explores every
 * interleaving of the two clients: one object, no race.
 * weft-expect: ok 731 */
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct config {
	int retries;
	int timeout_ms;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
_Atomic(struct config *) instance;

static struct config *get_config(void)
{
	struct config *c = atomic_load_explicit(&instance, memory_order_acquire);
	if (!c) {
		pthread_mutex_lock(&lock);
		c = atomic_load_explicit(&instance, memory_order_relaxed);
		if (!c) {
			c = malloc(sizeof *c);
			c->retries = 3;
			c->timeout_ms = 250;
			atomic_store_explicit(&instance, c, memory_order_release);
		}
		pthread_mutex_unlock(&lock);
	}
	return c;
}

static void *client(void *arg)
{
	struct config **seen = arg;
	*seen = get_config();
	assert((*seen)->timeout_ms == 250);
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	struct config *seen[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, client, &seen[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert(seen[0] == seen[1]);
	free(seen[0]);
	return 0;
}
