// A request handed to a worker through std::promise, and the worker's
// answer returned through std::async's future: the waits of both futures
// are libstdc++'s raw futex waits (syscall(SYS_futex, ...)), which weft
// models. The program is correct: weft explores every interleaving of the
// hand-offs (whether the main thread waits before or after each value is
// set, the worker's start and exit around them) and finds no bug.
//
//   weft run --strategy dfs -- build/examples/cxx_promise_future
//
// Explore it with DFS: libstdc++ writes the futures' futex words with
// inline atomic instructions, which weft traps, but reads them with plain
// atomic loads, which it does not see in a build without -fsanitize=thread,
// so DPOR cannot tell which of the program's steps read them (README, "Raw
// futexes"). DFS explores 1297 executions with the read-modify-writes
// trapped (21 with WEFT_TRAP_ATOMICS=0, the futex calls alone).
//
// weft-expect: ok 1297
#include <cassert>
#include <future>

int main()
{
	std::promise<int> request;
	std::future<int> request_ready = request.get_future();
	std::future<int> answer = std::async(std::launch::async, [&request_ready] {
		return request_ready.get() * 7; // waits for main's set_value
	});
	request.set_value(6);
	assert(answer.get() == 42); // waits for the worker's return
	return 0;
}
