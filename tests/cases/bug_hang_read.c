/* A worker blocks in read() on a pipe that nobody ever writes. The read
 * first waits as a descriptor wait (interpose/fiber_io.c); with main in
 * pthread_join nobody else can run, so it becomes a real wait on the
 * outside world, which never ends: after --hang-timeout seconds weft
 * reports a hang naming the system call, with kernel threads and fibers.
 *
 * weft-options: --hang-timeout 1
 * weft-expect: bug hang
 */
#include <pthread.h>
#include <unistd.h>

static int fds[2];

static void *reader(void *arg)
{
	(void)arg;
	char byte;
	ssize_t n = read(fds[0], &byte, 1); /* nobody writes: blocks forever */
	return (void *)(long)n;
}

int main(void)
{
	if (pipe(fds) != 0)
		return 2;
	pthread_t t;
	pthread_create(&t, NULL, reader, NULL);
	pthread_join(t, NULL);
	return 0;
}
