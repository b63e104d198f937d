/* Two workers post one semaphore that main waits on once: main goes on
 * after the first post, whichever it is.
 *
 * Count: main = C1 C2 W J1 J2 X (W the sem_wait), worker i = Si Pi Ei (Pi
 * the sem_post); the semaphore starts at 0, so W waits for P1 or P2. C1 is
 * first and J2 X last (J2 waits for E2, J1 for E1). Let k (0..3) be the
 * number of worker 1's steps before C2; worker 2's S2 P2 E2 all follow C2.
 * What is left after C2 is W J1 (J1 after E1), worker 1's 3 - k remaining
 * steps and S2 P2 E2:
 *   k = 3: W is free (P1 is done): W J1 among S2 P2 E2, C(5, 2) = 10.
 *   k = 2: E1 left, J1 after it: 2 of the 3 orders of W, J1, E1 (W < J1),
 *     S2 P2 E2 in C(6, 3) = 20 ways each: 40.
 *   k = 1: P1 E1 left; of the orders of W, J1 with P1 < E1 where J1 is after
 *     E1 (W P1 E1 J1, P1 W E1 J1, P1 E1 W J1), the two with W after P1 take
 *     S2 P2 E2 in C(7, 3) = 35 ways each (70); in W P1 E1 J1, W needs P2
 *     first: S2 P2 before W, E2 in any of 5 places after P2: 5. 75.
 *   k = 0: S1 P1 E1 left, J1 after E1, W in one of 4 places among S1 P1 E1;
 *     after P1 (2 places): C(8, 3) = 56 ways each (112); before S1: S2 P2
 *     first, E2 in 6 places (6); between S1 and P1: S2 P2 both before W in
 *     3 ways (before S1, around it, after it), E2 after P2 in 6, 5 and 5
 *     places: 16. 134.
 * 10 + 40 + 75 + 134 = 259 executions.
 *
 * weft-expect: ok 259
 * DPOR: two posts commute; the wait is dependent with each post and must
 * follow one, so there are 3 happens-before orders: W after P1 and before
 * P2, after P2 and before P1, or after both. The wait could not run before
 * P1 where the semaphore was empty, and which other event could have filled
 * it is not in the race: DPOR tries every other thread there (dpor_races.c),
 * worker 2, whose S2 then precedes P1 and brings the first two orders once
 * more before the third: 5 executions, 3 distinct traces.
 * weft-expect-dpor: 5 3
 */
#include <pthread.h>
#include <semaphore.h>

static sem_t ready;

static void *poster(void *arg)
{
	(void)arg;
	sem_post(&ready);
	return NULL;
}

int main(void)
{
	sem_init(&ready, 0, 0);
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, poster, NULL);
	sem_wait(&ready);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	sem_destroy(&ready);
	return 0;
}
