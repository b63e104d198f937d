/* A futex operation weft does not model, named by the first argument:
 * lock_pi (FUTEX_LOCK_PI), wait_requeue_pi (FUTEX_WAIT_REQUEUE_PI) or waitv
 * (the futex_waitv system call). Under weft each must stop the execution
 * with exit 2 and a message naming the operation (tests/futex.sh), never
 * hang. A worker thread makes weft control more than one thread. Without
 * weft, the program only checks that the kernel accepts the call. */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static uint32_t word, other;

static void *worker(void *arg)
{
	(void)arg;
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	const char *op = argc > 1 ? argv[1] : "lock_pi";
	if (strcmp(op, "lock_pi") == 0) {
		syscall(SYS_futex, &word, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
		syscall(SYS_futex, &word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	} else if (strcmp(op, "wait_requeue_pi") == 0) {
		struct timespec zero = {0, 0};
		syscall(SYS_futex, &word, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 1, &zero, &other, 0);
	} else {
		struct timespec zero = {0, 0};
		syscall(449 /* futex_waitv */, NULL, 0, 0, &zero, CLOCK_MONOTONIC);
	}
	pthread_join(t, NULL);
	return 0;
}
