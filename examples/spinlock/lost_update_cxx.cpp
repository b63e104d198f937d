/* The lost update of lost_update.c behind spin::Lock, a C++ class of
 * libcxxlock.so, named by the signatures of its members:
 *
 *   weft run --yield-at '"spin::Lock::lock()"(void *self)->void=lock(1)' \
 *            --yield-at '"spin::Lock::unlock()"(void *self)->void=unlock(1)' \
 *            -- ./lost_update_cxx
 *     BUG assertion: `counter == 2' failed, each spin::Lock::lock() a step. */
#include <cassert>
#include <thread>

#include "cxx_lock.h"

static spin::Lock lock;
static int counter;

static void worker()
{
	lock.lock();
	int seen = counter;
	lock.unlock();
	lock.lock();
	counter = seen + 1;
	lock.unlock();
}

int main()
{
	std::thread a(worker), b(worker);
	a.join();
	b.join();
	assert(counter == 2);
	return 0;
}
