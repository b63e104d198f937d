/* Two workers that each lock and unlock a mutex of their own: the same
 * shape as count_mutex_counter_2.c, but nothing is shared.
 *
 * Count: main = C1 C2 J1 J2 X, worker i = Si Li Ui Ei on mutex i. As in
 * the shared case C1 is first and J2 X last; what is left are the orders
 * of S1 L1 U1 E1, S2 L2 U2 E2 and C2 J1 with C2 < S2 and E1 < J1, and no
 * mutual exclusion now. Merge worker 1 with C2 J1 first: J1 must come after
 * E1, so it is last, and C2 takes one of 5 places among S1 L1 U1 E1. With
 * C2 at place p (0..4) there are 5 - p events after it (J1 included), and
 * worker 2's 4 steps must all follow C2: C(5 - p + 4, 4) ways.
 *   126 + 70 + 35 + 15 + 5 = 251 executions,
 * more than the 151 of the shared mutex: plain DFS does not know that
 * operations on different mutexes commute (DPOR would explore 1).
 *
 * weft-expect: ok 251
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 1.
 * weft-expect-dpor: 1
 */
#include <pthread.h>

static pthread_mutex_t locks[2] = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER};
static int counts[2];

static void *worker(void *arg)
{
	int i = *(int *)arg;
	pthread_mutex_lock(&locks[i]);
	counts[i]++;
	pthread_mutex_unlock(&locks[i]);
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
	return counts[0] == 1 && counts[1] == 1 ? 0 : 1;
}
