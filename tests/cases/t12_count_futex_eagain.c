/* The kernel's answers that need no other thread: a wait whose word
 * differs from the expected value fails at once with EAGAIN; a wait with a
 * timeout nobody ends fails with ETIMEDOUT once the virtual clock reaches
 * it (relative for FUTEX_WAIT, absolute on CLOCK_MONOTONIC or, with
 * FUTEX_CLOCK_REALTIME, on CLOCK_REALTIME for FUTEX_WAIT_BITSET); a bad
 * timeout, a zero bitset or an unaligned word is EINVAL; a wake with
 * nobody waiting wakes 0; FUTEX_CLOCK_REALTIME on a wake is ENOSYS; other
 * system calls go to the kernel. One thread: one execution.
 *
 * weft-expect: ok 1
 * weft-expect-dpor: 1
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static uint32_t word = 5;

static long futex(uint32_t *w, int op, uint32_t val, const struct timespec *t, uint32_t val3)
{
	return syscall(SYS_futex, w, op, val, t, NULL, val3);
}

int main(void)
{
	assert(futex(&word, FUTEX_WAIT_PRIVATE, 4, NULL, 0) == -1 && errno == EAGAIN);
	assert(futex(&word, FUTEX_WAIT, 6, NULL, 0) == -1 && errno == EAGAIN);

	struct timespec before, after, rel = {2, 0};
	clock_gettime(CLOCK_MONOTONIC, &before);
	assert(futex(&word, FUTEX_WAIT_PRIVATE, 5, &rel, 0) == -1 && errno == ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &after);
	assert(after.tv_sec - before.tv_sec == 2 && after.tv_nsec == before.tv_nsec);

	struct timespec abs = after;
	abs.tv_sec += 3;
	assert(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 5, &abs, FUTEX_BITSET_MATCH_ANY) == -1 &&
	       errno == ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &after);
	assert(after.tv_sec == abs.tv_sec && after.tv_nsec == abs.tv_nsec);

	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_sec += 1;
	assert(futex(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 5, &now, 1) == -1 &&
	       errno == ETIMEDOUT);
	struct timespec real;
	clock_gettime(CLOCK_REALTIME, &real);
	assert(real.tv_sec == now.tv_sec && real.tv_nsec == now.tv_nsec);

	/* A deadline already past times out at once. */
	assert(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 5, &before, 1) == -1 && errno == ETIMEDOUT);

	struct timespec bad = {0, 1000000000};
	assert(futex(&word, FUTEX_WAIT_PRIVATE, 5, &bad, 0) == -1 && errno == EINVAL);
	assert(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 5, NULL, 0) == -1 && errno == EINVAL);
	assert(futex((uint32_t *)((char *)&word + 1), FUTEX_WAKE, 1, NULL, 0) == -1 &&
	       errno == EINVAL);
	assert(futex(&word, FUTEX_WAKE_PRIVATE | FUTEX_CLOCK_REALTIME, 1, NULL, 0) == -1 &&
	       errno == ENOSYS);
	assert(futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, 0) == 0);
	assert(futex(&word, FUTEX_WAKE_BITSET, 1, NULL, 0) == -1 && errno == EINVAL);

	assert(syscall(SYS_getpid) == getpid());
	return 0;
}
