/* misuse_destroy_awaited.c with the mutex on the heap: main destroys a job's
 * mutex that a detached worker is about to lock. When the worker reaches
 * its pthread_mutex_lock after the destroy, weft sees a new mutex at the
 * same address (a fresh object number in reports); the strategies take it
 * for the destroyed one (core/object_keys.h), so DPOR still orders the
 * destroy against the lock and finds the interleavings where the worker
 * waits for, or holds, the mutex while it is destroyed.
 *
 * weft-expect: bug misuse
 * weft-expect-dpor: bug misuse
 */
#include <pthread.h>
#include <stdlib.h>

struct job {
	pthread_mutex_t lock;
	int value;
};

static void *worker(void *arg)
{
	struct job *job = arg;
	pthread_mutex_lock(&job->lock);
	job->value++;
	pthread_mutex_unlock(&job->lock);
	return NULL;
}

int main(void)
{
	struct job *job = calloc(1, sizeof *job);
	pthread_mutex_init(&job->lock, NULL);
	pthread_t t;
	pthread_create(&t, NULL, worker, job);
	pthread_detach(t);
	pthread_mutex_destroy(&job->lock); /* wrong: the worker may hold it */
	return 0;
}
