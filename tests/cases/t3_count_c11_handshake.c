/* The handshake of count_cond_handshake written with C11 <threads.h>:
 * glibc's thrd_*, mtx_* and cnd_* do not go through the pthread_* symbols,
 * and weft hooks them separately onto the same models. The worker's int
 * result comes back through thrd_join.
 *
 * Count: main = C, L0, [W K], U0, J, X; worker = S, L1, G, U1, E1, the
 * same operations as count_cond_handshake: 9 + 3 = 12 executions.
 *
 * weft-expect: ok 12
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 2.
 * weft-expect-dpor: 2
 */
#include <assert.h>
#include <threads.h>

static mtx_t m;
static cnd_t c;
static int ready;

static int worker(void *arg)
{
	(void)arg;
	mtx_lock(&m);
	ready = 1;
	cnd_signal(&c);
	mtx_unlock(&m);
	return 42;
}

int main(void)
{
	assert(mtx_init(&m, mtx_plain) == thrd_success);
	assert(cnd_init(&c) == thrd_success);
	thrd_t t;
	assert(thrd_create(&t, worker, NULL) == thrd_success);
	mtx_lock(&m);
	while (!ready)
		cnd_wait(&c, &m);
	mtx_unlock(&m);
	int result;
	assert(thrd_join(t, &result) == thrd_success && result == 42);
	cnd_destroy(&c);
	mtx_destroy(&m);
	return 0;
}
