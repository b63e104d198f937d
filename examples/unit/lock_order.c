/* Unit test of examples/lock_order.c (and lock_order_fixed.c) with
 * weft_check. Self-checking: exits 0 when the buggy variant is found (a
 * "deadlock": two transfers lock the same two accounts in opposite orders)
 * and the fixed one (locks by account number) passes over a complete
 * exploration.
 *
 * It also shows weft_choose: which order (payment or refund) arrives first
 * is a choice weft explores like a schedule choice, so both arrival orders
 * are covered. The invariant (money is neither created nor lost) is a
 * weft_assert. */
#include <pthread.h>

#include "unit_expect.h"

struct account {
	pthread_mutex_t lock;
	int number;
	int balance;
};

static struct account alice, bob;
static int fixed;

static void reset(void)
{
	alice = (struct account){PTHREAD_MUTEX_INITIALIZER, 1, 100};
	bob = (struct account){PTHREAD_MUTEX_INITIALIZER, 2, 100};
}

static void transfer(struct account *from, struct account *to, int amount)
{
	struct account *first = from, *second = to; /* wrong unless fixed */
	if (fixed && to->number < from->number)
		first = to, second = from;
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

static void scenario(void *arg)
{
	(void)arg;
	reset();
	void *(*orders[2])(void *) = {pay_bob, refund_alice};
	unsigned first = weft_choose(2); /* which order arrives first */
	pthread_t t[2];
	pthread_create(&t[0], NULL, orders[first], NULL);
	pthread_create(&t[1], NULL, orders[1 - first], NULL);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	weft_assert(alice.balance + bob.balance == 200, "total %d", alice.balance + bob.balance);
	weft_assert(alice.balance == 95 && bob.balance == 105, "alice %d, bob %d", alice.balance,
	            bob.balance);
}

static void buggy(void *arg)
{
	fixed = 0;
	scenario(arg);
}

static void fixed_version(void *arg)
{
	fixed = 1;
	scenario(arg);
}

int main(void)
{
	int ok = expect_check(buggy, "lock_order", "deadlock");
	ok &= expect_check(fixed_version, "lock_order_fixed", NULL);
	return ok ? 0 : 1;
}
