/* C++ function-local static: main and a worker both call get(), whose
 * static's constructor sleeps 1 s. The constructor runs exactly once and the
 * thread that did not run it waits for it in __cxa_guard_acquire (which
 * glibc's libstdc++ does with raw futex calls: weft models the guard).
 *
 * Count: main = C, G0 (__cxa_guard_acquire), [Z (the sleep) if it runs the
 * constructor], J, X; worker = S, G1, [Z], E1. A thread only calls
 * __cxa_guard_acquire while the static is not yet constructed; the sleep
 * lets the other thread run up to its own call first, so both calls happen.
 *   main constructs: S before or after G0 (2); the worker's G1 waits for
 *     the end of the constructor, so Z, G1, E1, J, X: 2.
 *   the worker constructs: S G1 before G0 (1); main's G0 waits; Z; then
 *     G0 and E1 in either order: 2.
 * 2 + 2 = 4 executions, as with pthread_once (t3_count_once.c).
 *
 * weft-expect: ok 4
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 4.
 * weft-expect-dpor: 4
 */
#include <cassert>
#include <pthread.h>
#include <unistd.h>

static int constructions;

struct Config {
	int value;
	Config()
	{
		sleep(1);
		constructions++;
		value = 42;
	}
};

static Config &get()
{
	static Config config;
	return config;
}

static void *worker(void *)
{
	assert(get().value == 42);
	return nullptr;
}

int main()
{
	pthread_t t;
	pthread_create(&t, nullptr, worker, nullptr);
	assert(get().value == 42);
	pthread_join(t, nullptr);
	assert(constructions == 1);
	return 0;
}
