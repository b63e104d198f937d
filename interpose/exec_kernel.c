/* The kernel-thread execution layer: every program thread is a real
 * thread, created with the real pthread_create, and only the thread that
 * holds the turn runs. The turn passes with a futex word per thread: the
 * scheduler sets the next thread's word and wakes it, then sleeps on its
 * own. All threads of an execution are pinned to one CPU (runtime.c), where
 * such a hand-off costs under a microsecond. */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "runtime.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

void *weft__thread_trampoline(void *arg);

static void futex_wait(uint32_t *word, uint32_t expected)
{
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}

static void futex_wake(uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void hand_turn_to(struct weft_thread *t)
{
	__atomic_store_n(&t->turn, 1, __ATOMIC_RELEASE);
	futex_wake(&t->turn);
}

void weft__exec_kernel_wait_turn(struct weft_thread *me)
{
	while (__atomic_load_n(&me->turn, __ATOMIC_ACQUIRE) == 0)
		futex_wait(&me->turn, 0);
	me->turn = 0;
}

int weft__exec_kernel_create(struct weft_thread *child, const pthread_attr_t *attr,
                             pthread_t *handle)
{
	return weft__real.pthread_create(handle, attr, weft__thread_trampoline, child);
}

void weft__exec_kernel_switch(struct weft_thread *me, struct weft_thread *next)
{
	hand_turn_to(next);
	weft__exec_kernel_wait_turn(me);
}

void weft__exec_kernel_leave(struct weft_thread *next)
{
	if (next)
		hand_turn_to(next);
}

int weft__exec_kernel_join(struct weft_thread *target, pthread_t handle, void **ret)
{
	(void)target;
	/* The modelled thread has exited; the real one may still be tearing
	 * down, which the real join waits out without any other thread running. */
	return weft__real.pthread_join(handle, ret);
}

int weft__exec_kernel_detach(struct weft_thread *target, pthread_t handle)
{
	(void)target;
	return weft__real.pthread_detach(handle);
}

void weft__exec_kernel_own_memory(void (*each)(uintptr_t lo, size_t size))
{
	/* glibc keeps a thread's stack, static TLS and descriptor in one block,
	 * which its attributes describe. */
	pthread_attr_t attr;
	void *lo;
	size_t size;
	if (pthread_getattr_np(pthread_self(), &attr) != 0)
		return;
	if (pthread_attr_getstack(&attr, &lo, &size) == 0)
		each((uintptr_t)lo, size);
	pthread_attr_destroy(&attr);
}
