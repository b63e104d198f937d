/* Two locks in one global order: the twin of lock_order.c.
 *
 * transfer() now locks the account with the lower number first, whichever
 * way the money goes, so no two threads can each hold one of the locks and
 * want the other.
 *
 * What weft finds: nothing, over a complete exploration.
 * Count: both threads now run lock(alice) lock(bob) unlock(bob)
 * unlock(alice), a critical section of 4 steps on alice's lock that the
 * other thread cannot enter. main = C1 C2 J1 J2 X, thread i = Si, its 4
 * section steps, Ei; C1 is first and J2 X are last, as in
 * tests/cases/count_mutex_counter_2.c, whose derivation this follows with
 * sections of 4 steps instead of 2:
 *   the payment's section first: before its last step (unlock alice) come
 *     its first 3 section steps, S1, and nothing, C2, or C2 S2:
 *       C(9,2) - 1 = 35, 5 * C(8,2) = 140, C(6,2) * C(7,2) = 315;  [490]
 *   the refund's section first: one chain of 12 steps from C2 to J1, S1
 *     in one of the 7 gaps before the payment's section, E2 in one of the 7
 *     gaps after the refund's, both orders in the gap they share:
 *       7 * 7 - 1 + 2 = 50.
 * 490 + 50 = 540 executions.
 *
 * weft-expect: ok 540
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
	/* One global order: the lower account number first. */
	struct account *first = from->number < to->number ? from : to;
	struct account *second = first == from ? to : from;
	pthread_mutex_lock(&first->lock);
	pthread_mutex_lock(&second->lock);
	from->balance -= amount;
	to->balance += amount;
	pthread_mutex_unlock(&second->lock);
	pthread_mutex_unlock(&first->lock);
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
