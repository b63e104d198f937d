/* A worker blocks in read() from a pipe, run with --yield-at
 * read(...)=blocking, and main cancels it while it is inside the call:
 * weft does not model that (the call runs outside its control) and must
 * stop with exit status 2 naming it, never hang or report a bug. */
#include <pthread.h>
#include <semaphore.h>
#include <unistd.h>

static int fds[2];
static sem_t inside;

static void *worker(void *arg)
{
	(void)arg;
	char c;
	sem_post(&inside);
	(void)!read(fds[0], &c, 1);
	return NULL;
}

int main(void)
{
	pthread_t t;
	if (pipe(fds) != 0)
		return 1;
	sem_init(&inside, 0, 0);
	pthread_create(&t, NULL, worker, NULL);
	sem_wait(&inside);
	pthread_cancel(t);
	(void)!write(fds[1], "x", 1);
	pthread_join(t, NULL);
	return 0;
}
