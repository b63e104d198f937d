/* A detached thread's stack reused by a thread in another slot: T1 and T2
 * (detached) write a buffer on their stacks and end, T1 last; then main
 * creates T3, which takes T1's slot (the lowest free one) and, with
 * --threads=fiber, T2's stack (T1's stack is given back when its slot is
 * taken, T2's after it, and the stack given back last is handed out
 * first). Nothing orders T2's writes before T3's, and T3 runs as another
 * thread than T2 (a thread in a reused slot carries the old one's history
 * on), so the race detector must forget a stack when a thread starts on it
 * after another thread ran there. A false data race here would be the
 * worst defect.
 *
 * Count: 1. A sleeping thread's deadline comes only when nobody else can
 * run (virtual time), so each thread runs alone while main sleeps: T1
 * starts and waits for the post, T2 runs to its end, T1 runs to its end
 * after the post, then T3; no choice anywhere.
 * weft-expect: ok 1
 */
#include <pthread.h>
#include <semaphore.h>
#include <unistd.h>

static char *volatile where[4]; /* makes each buffer escape, so it is instrumented */
static sem_t go;

static void fill(long id)
{
	char buffer[2048];
	where[id] = buffer;
	for (int i = 0; i < 2048; i++)
		where[id][i] = (char)id;
}

static void *first(void *arg)
{
	sem_wait(&go);
	fill((long)arg);
	return NULL;
}

static void *work(void *arg)
{
	fill((long)arg);
	return NULL;
}

int main(void)
{
	pthread_attr_t detached;
	pthread_attr_init(&detached);
	pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
	sem_init(&go, 0, 0);
	pthread_t t;
	pthread_create(&t, &detached, first, (void *)1);
	sleep(1);
	pthread_create(&t, &detached, work, (void *)2);
	sleep(1);
	sem_post(&go);
	sleep(1);
	pthread_create(&t, &detached, work, (void *)3);
	sleep(1);
	pthread_attr_destroy(&detached);
	return 0;
}
