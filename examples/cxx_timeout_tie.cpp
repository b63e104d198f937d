// The timeout tie of timeout_tie.c in C++: a client waits for a reply with
// std::condition_variable::wait_for(1s) while the server thread takes
// std::this_thread::sleep_for(1s); the results live in a table behind a
// std::shared_mutex. std::thread, std::mutex, std::shared_mutex,
// std::condition_variable and the sleeps and steady_clock reads underneath
// all run on weft's models and virtual clock (pthread_create,
// pthread_mutex_*, pthread_rwlock_*, pthread_cond_clockwait on
// CLOCK_MONOTONIC, nanosleep, clock_gettime).
//
// Natively the outcome depends on microseconds (a flaky test); under weft
// the timeout and the reply fall on the same virtual instant and weft finds
// the order where the timeout fires first, on every run.
//
// What weft finds: an assertion failure.
//
// Build: g++ -std=c++17 -g -O1 -UNDEBUG -pthread cxx_timeout_tie.cpp
//
// weft-expect: bug assertion
#include <cassert>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <thread>

using namespace std::chrono_literals;

static std::shared_mutex table_lock;
static std::map<int, int> results;

static std::mutex reply_lock;
static std::condition_variable replied;
static bool has_reply;

static int lookup(int key)
{
	std::shared_lock<std::shared_mutex> read(table_lock);
	auto it = results.find(key);
	return it == results.end() ? -1 : it->second;
}

int main()
{
	auto start = std::chrono::steady_clock::now();
	std::thread server([] {
		std::this_thread::sleep_for(1s); // computing
		{
			std::unique_lock<std::shared_mutex> write(table_lock);
			results[21] = 42;
		}
		std::lock_guard<std::mutex> guard(reply_lock);
		has_reply = true;
		replied.notify_one();
	});
	bool in_time;
	{
		std::unique_lock<std::mutex> wait(reply_lock);
		in_time = replied.wait_for(wait, 1s, [] { return has_reply; });
	}
	int answer = lookup(21);
	server.join();
	// One second passed (under weft exactly), whichever order ran.
	assert(std::chrono::steady_clock::now() - start >= 1s);
	assert(in_time && answer == 42);
	return 0;
}
