/* A named semaphore opened, used, closed and unlinked three times over.
 * Each round main creates "/weft_reopen" with O_CREAT | O_EXCL and value 0
 * (EEXIST would mean the last round's unlink was lost), a worker opens the
 * same name (the same address, as POSIX says) and posts it twice, main
 * waits once and finds one unit left. Every round starts from value 0: a
 * semaphore created after the unlink must not inherit the last round's
 * count (the one left over). Then both close and main unlinks; opening the
 * name without O_CREAT then fails with ENOENT.
 *
 * Count: in each round main's sem_wait is blocked until the worker's first
 * post and can then run after that post, the second post, the worker's
 * close or its exit (main's join waits for the rest): 4 interleavings a
 * round, 4^3 = 64. Two happens-before orders a round (the wait before or
 * after the second post, which are dependent), 2^3 = 8 for DPOR.
 *
 * weft-expect: ok 64
 * weft-expect-dpor: 8
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>

#define NAME "/weft_reopen"

static sem_t *opened;

static void *worker(void *arg)
{
	sem_t *s = sem_open(NAME, 0);
	assert(s == opened);
	sem_post(s);
	sem_post(s);
	sem_close(s);
	return arg;
}

int main(void)
{
	for (int round = 0; round < 3; round++) {
		sem_t *s = sem_open(NAME, O_CREAT | O_EXCL, 0600, 0);
		assert(s != SEM_FAILED);
		opened = s;
		int v;
		sem_getvalue(s, &v);
		assert(v == 0);
		pthread_t t;
		pthread_create(&t, NULL, worker, NULL);
		sem_wait(s);
		pthread_join(t, NULL);
		sem_getvalue(s, &v);
		assert(v == 1);
		sem_close(s);
		assert(sem_unlink(NAME) == 0);
		assert(sem_open(NAME, 0) == SEM_FAILED && errno == ENOENT);
	}
	return 0;
}
