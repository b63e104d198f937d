/* How a thread ends, under both execution modes (--threads=kernel and
 * fiber): worker 0 returns from its start routine; worker 1 calls
 * pthread_exit from a nested function inside two pthread_cleanup_push
 * regions. Both set thread-specific data of a key with a destructor, which
 * sets the value once more on its first call (so glibc's destructor rounds
 * call it twice). main checks after the joins: the cleanup handlers ran
 * for worker 1 only, innermost first; each worker's destructor ran twice
 * with its own values; join returned each thread's result.
 *
 * Count: cleanup handlers and destructors run after the thread's exit
 * step, outside weft's control, in both modes; the steps are those of the
 * two-worker mutex counter (count_mutex_counter_2.c): 151 executions.
 *
 * weft-expect: ok 151
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 2.
 * weft-expect-dpor: 2
 */
#include <assert.h>
#include <pthread.h>
#include <stdint.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t key;
static int slot[2][2];    /* each worker's two values */
static int dtor_calls[2]; /* per worker */
static int cleanup_order[2], cleanups;

static void destructor(void *value)
{
	int *v = value;
	int id = v == &slot[0][0] || v == &slot[0][1] ? 0 : 1;
	dtor_calls[id]++;
	if (v == &slot[id][0])
		pthread_setspecific(key, &slot[id][1]);
}

static void cleanup(void *arg)
{
	cleanup_order[cleanups++] = (int)(intptr_t)arg;
}

static void leave(void)
{
	pthread_exit((void *)42);
}

static void *worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	pthread_setspecific(key, &slot[id][0]);
	pthread_mutex_lock(&m);
	pthread_mutex_unlock(&m);
	if (id == 1) {
		pthread_cleanup_push(cleanup, (void *)1);
		pthread_cleanup_push(cleanup, (void *)2);
		leave();
		pthread_cleanup_pop(0);
		pthread_cleanup_pop(0);
	}
	return (void *)7;
}

int main(void)
{
	pthread_key_create(&key, destructor);
	pthread_t t[2];
	pthread_create(&t[0], NULL, worker, (void *)0);
	pthread_create(&t[1], NULL, worker, (void *)1);
	void *r0, *r1;
	pthread_join(t[0], &r0);
	pthread_join(t[1], &r1);
	assert(r0 == (void *)7 && r1 == (void *)42);
	assert(cleanups == 2 && cleanup_order[0] == 2 && cleanup_order[1] == 1);
	assert(dtor_calls[0] == 2 && dtor_calls[1] == 2);
	assert(pthread_getspecific(key) == NULL);
	return 0;
}
