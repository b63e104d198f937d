/* A detached thread's stack and thread-local storage are reused by the
 * next thread: T1 (detached) writes its __thread variable and a stack
 * buffer and ends; main sleeps, then creates T2, which the C library (or,
 * with --threads=fiber, weft's pools) may place on T1's old stack and TLS.
 * Nothing orders T1's writes before T2's (no join), so the race detector
 * must forget a thread's memory when a new thread starts on it, under both
 * execution modes. A false data race here would be the worst defect.
 *
 * Count: 1. A sleeping thread's deadline comes only when nobody else can
 * run (virtual time), so after each create the new thread runs to its end
 * while main sleeps: C1 S1 E1 Z C2 S2 E2 Z X, no choice anywhere.
 * weft-expect: ok 1
 */
#include <pthread.h>
#include <unistd.h>

static __thread int mine[64];
static char *volatile where[3]; /* makes each buffer escape, so it is instrumented */

static void *work(void *arg)
{
	long id = (long)arg;
	char buffer[2048];
	where[id] = buffer;
	for (int i = 0; i < 2048; i++)
		where[id][i] = (char)id;
	for (int i = 0; i < 64; i++)
		mine[i] = (int)id + where[id][i];
	return NULL;
}

int main(void)
{
	pthread_attr_t detached;
	pthread_attr_init(&detached);
	pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
	pthread_t t;
	pthread_create(&t, &detached, work, (void *)1);
	sleep(1);
	pthread_create(&t, &detached, work, (void *)2);
	sleep(1);
	pthread_attr_destroy(&detached);
	return 0;
}
