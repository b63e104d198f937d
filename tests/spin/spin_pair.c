/* Two workers each spin on plain memory, with no call weft sees, waiting
 * for the other's flag, and raise their own only after the wait: a cycle
 * of spins that never ends. weft preempts each in turn, but in this
 * uninstrumented build it cannot see whether the memory they read changes
 * between two preemptions (a program may pass values back and forth that
 * way), so after WEFT_SPIN_ROUNDS_LIMIT spins with no visible progress it
 * stops with an error, exit 2, that says so (tests/spin.sh), rather than
 * guess. bug_livelock.c, which yields instead, is a livelock. */
#include <pthread.h>

static volatile int flags[2];

static void *worker(void *arg)
{
	int me = *(int *)arg, other = 1 - me;
	while (!flags[other])
		;
	flags[me] = 1;
	return NULL;
}

int main(void)
{
	static int ids[2] = {0, 1};
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, &ids[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return 0;
}
