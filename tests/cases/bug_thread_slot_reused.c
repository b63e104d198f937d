/* A thread's slot reused while another thread races with both of its
 * occupants: worker A creates and joins C, then creates D, which takes
 * C's slot (C exited and was joined); B locks the mutex too. The assertion
 * fails only when B's critical section falls between C's and D's. DPOR
 * must see C and D as two threads whose events B can come between (the
 * join that freed the slot and the create that took it are dependent, so
 * C's events happen before D's, and B's is concurrent with both).
 *
 * weft-expect: bug assertion
 * weft-expect-dpor: bug assertion
 */
#include <assert.h>
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int entries, b_saw = -1;

static void *enter(void *is_b)
{
	pthread_mutex_lock(&m);
	if (is_b)
		b_saw = entries;
	entries++;
	pthread_mutex_unlock(&m);
	return NULL;
}

static void *in_turn(void *arg)
{
	for (int i = 0; i < 2; i++) {
		pthread_t t;
		pthread_create(&t, NULL, enter, NULL);
		pthread_join(t, NULL);
	}
	return arg;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, in_turn, NULL);
	pthread_create(&b, NULL, enter, (void *)1);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	assert(b_saw != 1);
	return 0;
}
