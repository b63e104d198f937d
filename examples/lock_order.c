/* Two locks taken in opposite orders.
 *
 * Scenario: a bank moves money between accounts, each with its own mutex.
 * transfer(from, to) locks `from`, then `to`. One thread pays Bob from
 * Alice's account while another refunds Alice from Bob's: the first holds
 * Alice's lock and wants Bob's, the second holds Bob's and wants Alice's.
 *
 * What weft finds: a deadlock. Both transfer threads wait in
 * pthread_mutex_lock for the lock the other holds, main waits in
 * pthread_join, and weft prints the wait-for cycle.
 *
 * Why a plain run almost never shows it: each transfer holds its first lock
 * for a few instructions, and the orders arrive one after the other: by the
 * time the refund is received, the payment is long done, so the two never
 * hold one lock each at the same time. When they do, the test hangs instead
 * of failing, typically on a loaded CI machine, and says nothing about why.
 * (Started back to back, with no receive() between, 997 of 1000 runs
 * passed; 3 hung.)
 * Natively: 1000 of 1000 runs pass, measured twice on a 2-CPU machine with
 *   for i in $(seq 1000); do timeout 5 build/examples/lock_order >/dev/null 2>&1 ||
 *   echo FAIL; done | grep -c FAIL
 * which printed 0.
 *
 * The fix (lock_order_fixed.c): every thread takes the two locks in one
 * global order (by account number).
 *
 * weft-expect: bug deadlock
 */
#include <assert.h>
#include <pthread.h>

struct account {
	pthread_mutex_t lock;
	int number;
	int balance;
};

static struct account alice = {PTHREAD_MUTEX_INITIALIZER, 1, 100};
static struct account bob = {PTHREAD_MUTEX_INITIALIZER, 2, 100};

static void transfer(struct account *from, struct account *to, int amount)
{
	pthread_mutex_lock(&from->lock);
	pthread_mutex_lock(&to->lock); /* wrong: the other transfer locks these the other way */
	from->balance -= amount;
	to->balance += amount;
	pthread_mutex_unlock(&to->lock);
	pthread_mutex_unlock(&from->lock);
}

static void *pay_bob(void *arg)
{
	(void)arg;
	transfer(&alice, &bob, 10);
	return NULL;
}

static void *refund_alice(void *arg)
{
	(void)arg;
	transfer(&bob, &alice, 5);
	return NULL;
}

/* Receiving an order over the network: checksumming its payload stands for
 * the parsing a real server does. It takes some tens of microseconds and
 * makes no synchronisation call (weft does not see it). */
static unsigned receive(int seed)
{
	unsigned h = 2166136261u;
	for (int i = 0; i < 50000; i++)
		h = (h ^ (unsigned)(seed + i)) * 16777619u;
	return h;
}

static volatile unsigned last_checksum; /* keeps receive() from being optimised away */

int main(void)
{
	pthread_t payment, refund;
	/* The orders arrive one after the other; each gets a thread. */
	last_checksum = receive(1);
	pthread_create(&payment, NULL, pay_bob, NULL);
	last_checksum = receive(2);
	pthread_create(&refund, NULL, refund_alice, NULL);
	pthread_join(payment, NULL);
	pthread_join(refund, NULL);
	assert(alice.balance + bob.balance == 200);
	return 0;
}
