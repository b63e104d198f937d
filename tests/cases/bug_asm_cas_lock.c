/* A lock made of inline assembly — `lock cmpxchg` to take it, `xchg` to
 * give it back — guarding a check-then-act: each of two threads reads the
 * balance under the lock, lets go, and withdraws 10 under the lock again if
 * it saw enough. Both can see 10 and both withdraw: the balance goes
 * negative and main's assertion fails. weft sees none of this as calls; it
 * traps the two instructions (interpose/atomic_trap.c), so every acquire
 * and release is a scheduling point on the lock word, DPOR orders them by
 * that address and finds the interleaving. A thread that spins on the held
 * lock fails its cmpxchg without changing anything and gives way.
 *
 * weft-expect: bug assertion
 * weft-expect-dpor: bug assertion
 */
#include <assert.h>
#include <pthread.h>

static int lock_word;
static int balance = 10;

static void acquire(void)
{
	int expected;
	do {
		expected = 0;
		__asm__ volatile("lock cmpxchgl %2, %1"
		                 : "+a"(expected), "+m"(lock_word)
		                 : "r"(1)
		                 : "memory", "cc");
	} while (expected != 0);
}

static void release(void)
{
	int zero = 0;
	__asm__ volatile("xchgl %0, %1" : "+r"(zero), "+m"(lock_word) : : "memory");
}

static void *withdraw(void *arg)
{
	(void)arg;
	acquire();
	int seen = balance;
	release();
	if (seen >= 10) { /* wrong: the balance may change before the withdrawal */
		acquire();
		balance -= 10;
		release();
	}
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, withdraw, NULL);
	pthread_create(&b, NULL, withdraw, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	assert(balance >= 0);
	return 0;
}
