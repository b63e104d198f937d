/* libcxxlock.so: spin::Lock, test-and-set on an int. Nothing here calls into
 * pthreads, so without --yield-at weft sees none of it. */
#include "cxx_lock.h"

namespace spin
{

void Lock::lock()
{
	while (__atomic_exchange_n(&word_, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&word_, __ATOMIC_RELAXED))
			continue;
}

void Lock::unlock()
{
	__atomic_store_n(&word_, 0, __ATOMIC_RELEASE);
}

} // namespace spin
