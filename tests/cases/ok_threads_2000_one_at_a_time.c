/* main creates 2,000 threads one after the other, joining each before it
 * creates the next. weft has no cap on the threads a run creates: a thread
 * that exited and was joined gives its slot back, so every worker here
 * runs in slot 1 and the runtime keeps two thread records.
 *
 * Count: as in count_create_join.c, right after each create main's join is
 * not enabled, so no step ever has two candidates: 1 execution.
 *
 * weft-expect: ok 1
 * weft-expect-dpor: 1
 */
#include <assert.h>
#include <pthread.h>

#define THREADS 2000

static int ran[THREADS];

static void *worker(void *arg)
{
	ran[(long)arg] = 1;
	return arg;
}

int main(void)
{
	for (long i = 0; i < THREADS; i++) {
		pthread_t t;
		void *ret;
		pthread_create(&t, NULL, worker, (void *)i);
		pthread_join(t, &ret);
		assert(ret == (void *)i);
	}
	int n = 0;
	for (int i = 0; i < THREADS; i++)
		n += ran[i];
	assert(n == THREADS);
	return 0;
}
