/* A once control in memory that is used again for a new object without an
 * init call: an object with a pthread_once_t member is set up twice in the
 * same storage, with PTHREAD_ONCE_INIT assigned each time, and main and a
 * thread reach its pthread_once. The second object's initialiser must run: its
 * once control is new, although the model of the first one, at the same
 * address, is done (weft sees that the memory says "not done" and starts a
 * new object there).
 *
 * Count: in each round main's pthread_once runs before the thread's start,
 * between its start and its pthread_once, or after it (then before or
 * after the thread's exit): 4 interleavings a round, 4^2 = 16. Which
 * pthread_once runs the initialiser gives 2 happens-before orders a round:
 * DPOR explores 2^2 = 4.
 *
 * weft-expect: ok 16
 * weft-expect-dpor: 4
 */
#include <assert.h>
#include <pthread.h>

struct object {
	pthread_once_t once;
	int ready;
};

static struct object storage;
static struct object *current;

static void setup(void)
{
	current->ready++;
}

static void *user(void *arg)
{
	pthread_once(&current->once, setup);
	assert(current->ready == 1);
	return arg;
}

int main(void)
{
	for (int round = 0; round < 2; round++) {
		storage = (struct object){PTHREAD_ONCE_INIT, 0};
		current = &storage;
		pthread_t t;
		pthread_create(&t, NULL, user, NULL);
		user(NULL);
		pthread_join(t, NULL);
		assert(current->ready == 1);
	}
	return 0;
}
