/* Per-thread state under both execution modes (--threads=kernel and
 * fiber): each of two workers finds its __thread variable at its initial
 * value, sets it and errno to its own values, takes and releases one
 * shared mutex (where the other may run and set its own), and finds both
 * unchanged. Worker 1 runs on a stack the program gave
 * (pthread_attr_setstack) and worker 0 on one of a size it asked for;
 * main checks each ran where it should and that every thread had its own
 * __thread variable and pthread_self; each worker finds its stack where
 * pthread_getattr_np says it is.
 *
 * Count: the steps are those of the two-worker mutex counter
 * (count_mutex_counter_2.c): neither errno, __thread variables nor
 * pthread_self are scheduling points. 151 executions.
 *
 * weft-expect: ok 151
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 2.
 * weft-expect-dpor: 2
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>

#define GIVEN_STACK (256 * 1024)

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static __thread int tls = 7;
static int *tls_at[3];
static pthread_t self_of[3];
static uintptr_t local_at[3];
static _Alignas(64) char given_stack[GIVEN_STACK];

static void *worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	int local = 0;
	assert(tls == 7);
	tls = 100 + id;
	errno = 200 + id;
	tls_at[id] = &tls;
	self_of[id] = pthread_self();
	local_at[id] = (uintptr_t)&local;
	pthread_attr_t attr;
	void *lo;
	size_t size;
	assert(pthread_getattr_np(pthread_self(), &attr) == 0);
	assert(pthread_attr_getstack(&attr, &lo, &size) == 0);
	assert(local_at[id] >= (uintptr_t)lo && local_at[id] < (uintptr_t)lo + size);
	assert(id == 0 ? size >= 128 * 1024 : lo == (void *)given_stack && size == GIVEN_STACK);
	pthread_attr_destroy(&attr);
	pthread_mutex_lock(&m);
	pthread_mutex_unlock(&m);
	assert(tls == 100 + id);
	assert(errno == 200 + id);
	assert(pthread_equal(self_of[id], pthread_self()));
	return NULL;
}

int main(void)
{
	pthread_attr_t sized, given;
	pthread_attr_init(&sized);
	pthread_attr_setstacksize(&sized, 128 * 1024);
	pthread_attr_init(&given);
	pthread_attr_setstack(&given, given_stack, sizeof given_stack);
	pthread_t t[2];
	errno = 300;
	tls = 1;
	pthread_create(&t[0], &sized, worker, (void *)0);
	pthread_create(&t[1], &given, worker, (void *)1);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	tls_at[2] = &tls;
	self_of[2] = pthread_self();
	assert(tls == 1 && errno == 300);
	assert(tls_at[0] != tls_at[1] && tls_at[0] != tls_at[2] && tls_at[1] != tls_at[2]);
	assert(!pthread_equal(self_of[0], self_of[1]) && !pthread_equal(self_of[0], self_of[2]));
	assert(pthread_equal(self_of[0], t[0]) && pthread_equal(self_of[1], t[1]));
	assert(local_at[1] >= (uintptr_t)given_stack &&
	       local_at[1] < (uintptr_t)given_stack + sizeof given_stack);
	assert(local_at[0] < (uintptr_t)given_stack ||
	       local_at[0] >= (uintptr_t)given_stack + sizeof given_stack);
	pthread_attr_destroy(&sized);
	pthread_attr_destroy(&given);
	return 0;
}
