/* Two workers each wait on a futex word for the other to set it, and set
 * their own only after their wait: once both have found their word still
 * 0 and joined its queue, neither can wake the other, and main waits in
 * pthread_join. weft reports the deadlock naming the word each worker
 * waits on (futex#N (left), futex#M (right)).
 *
 * weft-expect: bug deadlock
 * weft-expect-dpor: bug deadlock
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

static uint32_t left, right;

static void await_then_set(uint32_t *mine, uint32_t *other)
{
	while (__atomic_load_n(mine, __ATOMIC_ACQUIRE) == 0)
		syscall(SYS_futex, mine, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	__atomic_store_n(other, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, other, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *worker_left(void *arg)
{
	(void)arg;
	await_then_set(&left, &right);
	return NULL;
}

static void *worker_right(void *arg)
{
	(void)arg;
	await_then_set(&right, &left);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, worker_left, NULL);
	pthread_create(&b, NULL, worker_right, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
