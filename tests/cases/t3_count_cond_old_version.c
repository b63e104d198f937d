/* A program bound to the old symbol versions of the condition variable
 * calls (pthread_cond_*@GLIBC_2.2.5, what binaries built against glibc
 * before 2.3.2 use): weft's unversioned interceptors catch them like the
 * current ones. The handshake is count_cond_handshake's, plus a timed wait
 * that nobody ends, which returns ETIMEDOUT after exactly 2 s of virtual
 * time (so it ran on the model, not on glibc's old condition variable).
 *
 * Count: the handshake's 12 executions; the timed wait comes after the
 * join, in one thread: 12 executions.
 *
 * weft-expect: ok 12
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 2.
 * weft-expect-dpor: 2
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <time.h>

int old_cond_init(pthread_cond_t *, const pthread_condattr_t *);
int old_cond_wait(pthread_cond_t *, pthread_mutex_t *);
int old_cond_timedwait(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
int old_cond_signal(pthread_cond_t *);
int old_cond_destroy(pthread_cond_t *);
__asm__(".symver old_cond_init, pthread_cond_init@GLIBC_2.2.5");
__asm__(".symver old_cond_wait, pthread_cond_wait@GLIBC_2.2.5");
__asm__(".symver old_cond_timedwait, pthread_cond_timedwait@GLIBC_2.2.5");
__asm__(".symver old_cond_signal, pthread_cond_signal@GLIBC_2.2.5");
__asm__(".symver old_cond_destroy, pthread_cond_destroy@GLIBC_2.2.5");

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c;
static int ready;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	ready = 1;
	old_cond_signal(&c);
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	old_cond_init(&c, NULL);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&m);
	while (!ready)
		old_cond_wait(&c, &m);
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);

	struct timespec start, at, end;
	clock_gettime(CLOCK_REALTIME, &start);
	at = start;
	at.tv_sec += 2;
	pthread_mutex_lock(&m);
	assert(old_cond_timedwait(&c, &m, &at) == ETIMEDOUT);
	pthread_mutex_unlock(&m);
	clock_gettime(CLOCK_REALTIME, &end);
	assert(end.tv_sec - start.tv_sec == 2 && end.tv_nsec == start.tv_nsec);
	old_cond_destroy(&c);
	return 0;
}
