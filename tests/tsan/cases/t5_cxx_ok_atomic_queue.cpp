// C++: a one-slot mailbox with std::atomic<bool> (release / acquire) and
// std::thread; the payload, a std::string, is published by the flag. No
// race, and the spin on the flag gives way to the producer.
// weft-expect: ok 14
#include <atomic>
#include <cassert>
#include <string>
#include <thread>

static std::string mailbox;
static std::atomic<bool> full{false};

int main()
{
	std::thread producer([] {
		mailbox = "a message long enough to live on the heap";
		full.store(true, std::memory_order_release);
	});
	while (!full.load(std::memory_order_acquire))
		;
	assert(mailbox.size() > 20);
	producer.join();
	return 0;
}
