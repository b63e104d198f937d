/* A worker blocks in read() on a pipe that nobody ever writes: a descriptor
 * wait (fiber_io.c) that nobody else can end (main is in pthread_join), so
 * a real wait, which never ends: after --hang-timeout seconds weft reports
 * a hang naming the system call, with kernel threads and with fibers.
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
