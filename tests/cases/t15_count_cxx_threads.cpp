/* C++ in threads, under both execution modes (--threads=kernel and
 * fiber): each worker constructs its own thread_local object on first use
 * (destroyed when the thread ends), throws and catches an exception, and
 * worker 1 ends with pthread_exit inside a scope whose local object must be
 * destroyed by the unwinding. main checks the counts after the joins.
 *
 * Count: the steps are those of the two-worker mutex counter
 * (count_mutex_counter_2.c, 151 interleavings, 2 happens-before orders),
 * the same under both execution modes. The pthread_once call of the
 * unwinder's first throw (libgcc sets up its register table once per
 * process) is no step: calls from libgcc_s are the unwinder's business,
 * not the program's (thread_end.c, weft__from_unwinder). This case counted
 * them on its own branch (573 interleavings, 4 orders); the merged design
 * keeps the unwinder's calls out in both modes.
 *
 * weft-expect: ok 151
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 2.
 * weft-expect-dpor: 2
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
