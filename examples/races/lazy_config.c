/* Double-checked initialisation done wrong: the first check reads the
 * shared pointer without the lock, so a thread that finds it set has no
 * happens-before with the thread that built the object, neither for the
 * pointer nor for the fields it then reads. weft reports the race.
 * Fixed twin: lazy_config_fixed.c (an atomic pointer, acquire and
 * release).
 * weft-expect: bug data-race */
#include <pthread.h>
#include <stdlib.h>

struct config {
	int retries;
	int timeout_ms;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
struct config *instance; /* global: clang would turn a static one into a flag */

static struct config *get_config(void)
{
	if (!instance) { /* unlocked read: the bug */
		pthread_mutex_lock(&lock);
		if (!instance) {
			struct config *c = malloc(sizeof *c);
			c->retries = 3;
			c->timeout_ms = 250;
			instance = c;
		}
		pthread_mutex_unlock(&lock);
	}
	return instance;
}

static void *client(void *arg)
{
	int *timeout = arg;
	*timeout = get_config()->timeout_ms;
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	int timeout[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, client, &timeout[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return timeout[0] == timeout[1] ? 0 : 1;
}
