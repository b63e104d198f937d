/* libspin.so: the spin lock of spin.h, test-and-set on an int with the
 * compiler's __sync builtins. Nothing here calls into pthreads, so without
 * --yield-at weft sees none of it. */
#include "spin.h"

void spin_lock(int *lock)
{
	while (__sync_lock_test_and_set(lock, 1))
		while (__atomic_load_n(lock, __ATOMIC_RELAXED))
			continue;
}

void spin_unlock(int *lock)
{
	__sync_lock_release(lock);
}

int spin_trylock(int *lock)
{
	return __sync_lock_test_and_set(lock, 1) == 0;
}

void spin_pause(void)
{
	__asm__ __volatile__("" ::: "memory");
}
