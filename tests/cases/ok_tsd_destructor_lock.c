/* A thread-specific-data destructor that takes a lock: it runs when the
 * worker ends, under weft's control, so its critical section is modelled
 * and interleaved with main's (it used to run outside the model, on the
 * real lock, at the same time as main's critical section).
 *
 * Count: main = C (create), then L1 U1 (its critical section), J (join);
 * the worker = S (start; pthread_setspecific is no scheduling point), then
 * at its end the destructor's L2 U2, then E. The two critical sections do
 * not overlap: main's goes before L2 (merged with S: 3 ways) or after U2
 * (merged with E: 3 ways): 6 executions.
 *
 * weft-expect: ok 6
 * DPOR: which critical section comes first.
 * weft-expect-dpor: 2
 */
#include <assert.h>
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t key;
static int inside, destroyed;

static void destroy(void *value)
{
	pthread_mutex_lock(&m);
	assert(!inside);
	inside = 1;
	destroyed += *(int *)value;
	inside = 0;
	pthread_mutex_unlock(&m);
}

static void *worker(void *arg)
{
	pthread_setspecific(key, arg);
	return NULL;
}

int main(void)
{
	static int one = 1;
	pthread_t t;
	pthread_key_create(&key, destroy);
	pthread_create(&t, NULL, worker, &one);
	pthread_mutex_lock(&m);
	assert(!inside);
	inside = 1;
	inside = 0;
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	assert(destroyed == 1);
	return 0;
}
