/* C++ in threads, under both execution modes (--threads=kernel and
 * fiber): each worker constructs its own thread_local object on first use
 * (destroyed when the thread ends), throws and catches an exception, and
 * worker 1 ends with pthread_exit inside a scope whose local object must be
 * destroyed by the unwinding. main checks the counts after the joins.
 *
 * Count: the steps are those of the two-worker mutex counter
 * (count_mutex_counter_2.c) plus, in each worker before its lock, the
 * pthread_once call of the unwinder's first throw (libgcc sets up its
 * register table once per process): worker i = Si Oi Li Ui Ei. The two
 * once calls are dependent (the first runs the initialiser), so the
 * happens-before orders are 2 (the once calls) x 2 (the critical
 * sections) = 4, and the exhaustive run counts 573 interleavings, the same
 * under both execution modes.
 *
 * weft-expect: ok 573
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 4.
 * weft-expect-dpor: 4
 */
#include <cassert>
#include <pthread.h>
#include <stdexcept>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int constructed, destroyed, caught, unwound;

struct PerThread {
	int owner = -1;
	PerThread()
	{
		constructed++;
	}
	~PerThread()
	{
		destroyed++;
	}
};

static thread_local PerThread per_thread;

struct Guard {
	~Guard()
	{
		unwound++;
	}
};

static void *worker(void *arg)
{
	int id = static_cast<int>(reinterpret_cast<long>(arg));
	assert(per_thread.owner == -1);
	per_thread.owner = id;
	try {
		throw std::runtime_error("in a thread");
	} catch (const std::runtime_error &) {
		caught++;
	}
	pthread_mutex_lock(&m);
	pthread_mutex_unlock(&m);
	assert(per_thread.owner == id);
	if (id == 1) {
		Guard g;
		pthread_exit(nullptr);
	}
	return nullptr;
}

int main()
{
	pthread_t t[2];
	pthread_create(&t[0], nullptr, worker, reinterpret_cast<void *>(0L));
	pthread_create(&t[1], nullptr, worker, reinterpret_cast<void *>(1L));
	pthread_join(t[0], nullptr);
	pthread_join(t[1], nullptr);
	assert(constructed == 2 && destroyed == 2);
	assert(caught == 2 && unwound == 1);
	return 0;
}
