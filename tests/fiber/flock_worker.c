/* A worker waits in flock() for the lock main holds on the same file
 * through a descriptor of its own. flock is a call weft does not model:
 * when the worker reaches it while main holds the lock, it waits in the
 * kernel while main could run. With kernel threads main goes on and
 * releases it; with fibers the one kernel thread would wait for good, and
 * weft stops with an error naming the call and --threads=kernel
 * (threads_modes.sh). */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static char path[64];

static void *worker(void *arg)
{
	(void)arg;
	int fd = open(path, O_RDONLY);
	flock(fd, LOCK_EX); /* waits while main holds it */
	flock(fd, LOCK_UN);
	close(fd);
	return NULL;
}

int main(void)
{
	snprintf(path, sizeof path, "/tmp/weft-flock-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT, 0600);
	flock(fd, LOCK_EX);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&m); /* a step in which the worker may run first */
	pthread_mutex_unlock(&m);
	flock(fd, LOCK_UN);
	pthread_join(t, NULL);
	close(fd);
	unlink(path);
	return 0;
}
