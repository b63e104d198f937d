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

int spin_cond_wait(struct spin_cond *c, int *lock)
{
	int seen = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
	spin_unlock(lock);
	while (__atomic_load_n(&c->seq, __ATOMIC_ACQUIRE) == seen)
		continue;
	spin_lock(lock);
	return 0;
}

void spin_cond_signal(struct spin_cond *c)
{
	__atomic_fetch_add(&c->seq, 1, __ATOMIC_RELEASE);
}

void spin_cond_broadcast(struct spin_cond *c)
{
	__atomic_fetch_add(&c->seq, 1, __ATOMIC_RELEASE);
}
