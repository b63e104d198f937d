/* A thread waits in read() for a byte that the main thread writes into a
 * pipe. weft serialises threads; a read() that would block is a wait weft
 * models (a descriptor wait, enabled once the pipe has data), so the
 * writer runs meanwhile:
 *
 *   weft run -- ./pipe_reader
 *     OK, complete (3 executions with --strategy dfs)
 *   weft run --yield-at 'read(int,void*,size_t)->ssize_t=blocking' -- ./pipe_reader
 *     OK, complete: the reader leaves scheduling while it is in read()
 *     (the blocking role, for calls weft does not model). */
#include <assert.h>
#include <pthread.h>
#include <stddef.h>
#include <unistd.h>

static int fds[2];
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static int received;

static void *reader(void *arg)
{
	(void)arg;
	char c = 0;
	ssize_t n = read(fds[0], &c, 1);
	pthread_mutex_lock(&mutex);
	received = n == 1 && c == 'x';
	pthread_mutex_unlock(&mutex);
	return NULL;
}

int main(void)
{
	pthread_t t;
	if (pipe(fds) != 0)
		return 1;
	pthread_create(&t, NULL, reader, NULL);
	pthread_mutex_lock(&mutex);
	pthread_mutex_unlock(&mutex);
	if (write(fds[1], "x", 1) != 1)
		return 1;
	pthread_join(t, NULL);
	assert(received);
	return 0;
}
