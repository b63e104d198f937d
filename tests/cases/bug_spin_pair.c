/* Two workers each spin on plain memory, with no call weft sees, waiting
 * for the other's flag, and raise their own only after the wait: a cycle
 * of spins with no progress. weft preempts each in turn; when both are
 * preempted again and again in the same state (registers and stack) with
 * no progress anywhere in between, the spins can never end: a livelock.
 * The uninstrumented twin of bug_livelock.c, which yields instead.
 *
 * weft-expect: bug livelock
 */
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
