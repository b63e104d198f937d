/* C++ threads (std::thread, std::mutex, std::lock_guard) under both
 * execution modes: two workers each count in their own thread_local
 * counter, move the count into a shared total under the mutex, and hand an
 * exception back to main through a std::exception_ptr, which main
 * rethrows and catches after the joins.
 *
 * Count: std::thread creates through pthread_create and std::mutex locks
 * through pthread_mutex_lock, so the steps are those of the two-worker
 * mutex counter (count_mutex_counter_2.c): worker i = Si Li Ui Ei, 151
 * interleavings and 2 happens-before orders in both modes. The
 * pthread_once call of the unwinder's first throw is no step (calls from
 * libgcc_s are the unwinder's business: thread_end.c,
 * weft__from_unwinder); on its own branch this case counted it (573
 * interleavings, 4 orders).
 *
 * weft-expect: ok 151
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 2.
 * weft-expect-dpor: 2
 */
#include <cassert>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

static std::mutex m;
static int total;
static thread_local int mine;
static std::exception_ptr failure[2];

static void worker(int id)
{
	for (int i = 0; i <= id; i++)
		mine++;
	{
		std::lock_guard<std::mutex> hold(m);
		total += mine;
	}
	try {
		throw std::runtime_error("worker " + std::to_string(id));
	} catch (...) {
		failure[id] = std::current_exception();
	}
}

int main()
{
	std::thread a(worker, 0), b(worker, 1);
	a.join();
	b.join();
	assert(total == 3 && mine == 0);
	for (int id = 0; id < 2; id++) {
		try {
			std::rethrow_exception(failure[id]);
		} catch (const std::runtime_error &e) {
			assert(std::string(e.what()) == "worker " + std::to_string(id));
		}
	}
	return 0;
}
