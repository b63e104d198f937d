// A test that expects a worker's answer within a future's wait_for: the
// worker sleeps 1 s before set_value, and the wait lasts 1 s. libstdc++
// waits with FUTEX_WAIT_BITSET and an absolute deadline; the deadline and
// the worker's wake fall on the same virtual instant, and weft explores
// the timeout as a choice: wait_for returns timeout, the assertion fails.
// (wait_until on the system clock then gets the value.)
//
// weft-expect: bug assertion
// weft-expect-dpor: bug assertion
#include <cassert>
#include <chrono>
#include <future>
#include <thread>

int main()
{
	using namespace std::chrono_literals;
	std::promise<int> answer;
	std::future<int> later = answer.get_future();
	std::thread worker([&answer] {
		std::this_thread::sleep_for(1s);
		answer.set_value(42);
	});
	std::future_status within = later.wait_for(1s);
	assert(later.wait_until(std::chrono::system_clock::now() + 5s) ==
	       std::future_status::ready);
	assert(within == std::future_status::ready);
	worker.join();
	return 0;
}
