/* A futex operation weft does not model, named by the first argument:
 * lock_pi (FUTEX_LOCK_PI), wait_requeue_pi (FUTEX_WAIT_REQUEUE_PI), waitv
 * (the futex_waitv system call) or shared (a process-shared futex: a wake
 * without FUTEX_PRIVATE_FLAG of a word in MAP_SHARED memory, after a
 * private one, which weft models). Under weft each must stop the execution
 * with exit 2 and a message naming the operation (tests/futex.sh), never
 * hang. A worker thread makes weft control more than one thread. Without
 * weft, the program only checks that the kernel accepts the call. */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
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
	} else if (strcmp(op, "shared") == 0) {
		uint32_t *shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE,
		                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (shared == MAP_FAILED)
			return 1;
		if (syscall(SYS_futex, shared, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) != 0)
			return 1;
		syscall(SYS_futex, shared, FUTEX_WAKE, 1, NULL, NULL, 0);
	} else {
		struct timespec zero = {0, 0};
		syscall(449 /* futex_waitv */, NULL, 0, 0, &zero, CLOCK_MONOTONIC);
	}
	pthread_join(t, NULL);
	return 0;
}
