/* The runtime's table of objects starts at one page and doubles as the
 * program creates objects (interpose/objects.c): main locks a mutex, then
 * creates 1200 more objects (the table grows four times meanwhile),
 * destroys and re-creates 400 of them (new objects at the addresses of
 * forgotten ones), and unlocks the first mutex, which the table must still
 * know as held (an unlock of a mutex not held would be a misuse). Then the
 * semaphore hand-off of t3_count_sem_handoff.c.
 *
 * Count: main's steps before the worker exists take no choice; then main =
 * C, P0 (sem_wait), J, X; worker = S, V1 (sem_post), E1: 2 executions.
 *
 * weft-expect: ok 2
 * weft-expect-dpor: 1
 */
#include <pthread.h>
#include <semaphore.h>

#define MANY 1200

static pthread_mutex_t first = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t many[MANY];
static sem_t sem;

static void *worker(void *arg)
{
	(void)arg;
	sem_post(&sem);
	return NULL;
}

int main(void)
{
	pthread_mutex_lock(&first);
	for (int i = 0; i < MANY; i++)
		pthread_mutex_init(&many[i], NULL);
	for (int i = 0; i < MANY; i += 3) {
		pthread_mutex_destroy(&many[i]);
		pthread_mutex_init(&many[i], NULL);
	}
	pthread_mutex_unlock(&first);
	sem_init(&sem, 0, 0);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	sem_wait(&sem);
	pthread_join(t, NULL);
	sem_destroy(&sem);
	return 0;
}
