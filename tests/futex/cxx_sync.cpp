// The C++20 synchronisation of libstdc++ that waits in futexes through
// syscall(): std::atomic<T>::wait/notify_one, std::counting_semaphore,
// std::latch and std::barrier, in one correct program that weft must
// explore completely (tests/futex.sh). libstdc++ first spins with
// sched_yield, then waits on a futex; both are scheduling points.
#include <atomic>
#include <barrier>
#include <cassert>
#include <latch>
#include <semaphore>
#include <thread>

int main()
{
	std::atomic<int> flag{0};
	std::counting_semaphore<1> slot{0};
	std::latch done{2};
	std::barrier round{2};
	int data = 0, reply = 0;
	std::thread worker([&] {
		data = 1;
		flag.store(1);
		flag.notify_one();
		slot.acquire();
		assert(reply == 2);
		round.arrive_and_wait();
		done.count_down();
	});
	flag.wait(0);
	assert(data == 1);
	reply = 2;
	slot.release();
	round.arrive_and_wait();
	done.count_down();
	done.wait();
	worker.join();
	return 0;
}
