/* The execution layer's one door: each operation goes to the kernel-thread
 * implementation (exec_kernel.c) or the fiber one (exec_fiber.c), by the
 * mode WEFT_THREADS names. The mode is read once, at the first operation,
 * before any program thread exists, and never changes in the process. */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "exec_impl.h"
#include "runtime.h"

#include <stdlib.h>
#include <string.h>

static int mode = -1;

enum weft_exec_mode weft__exec_mode(void)
{
	if (mode < 0) {
		const char *name = getenv("WEFT_THREADS");
		mode = name && strcmp(name, "fiber") == 0 ? WEFT_EXEC_FIBER : WEFT_EXEC_KERNEL;
	}
	return (enum weft_exec_mode)mode;
}

#define FIBER (weft__exec_mode() == WEFT_EXEC_FIBER)

int weft__exec_create(struct weft_thread *child, const pthread_attr_t *attr, pthread_t *handle)
{
	return FIBER ? weft__exec_fiber_create(child, attr, handle)
	             : weft__exec_kernel_create(child, attr, handle);
}

void weft__exec_slot_reused(struct weft_thread *t)
{
	if (FIBER)
		weft__exec_fiber_slot_reused(t);
}

void weft__exec_switch(struct weft_thread *me, struct weft_thread *next)
{
	if (FIBER)
		weft__exec_fiber_switch(me, next);
	else
		weft__exec_kernel_switch(me, next);
}

void weft__exec_leave(struct weft_thread *next)
{
	if (FIBER)
		weft__exec_fiber_leave(next);
	else
		weft__exec_kernel_leave(next);
}

void weft__exec_wait_turn(struct weft_thread *me)
{
	/* A fiber runs only when switched to: holding the CPU is the turn. */
	if (!FIBER)
		weft__exec_kernel_wait_turn(me);
}

int weft__exec_join(struct weft_thread *target, pthread_t handle, void **ret)
{
	return FIBER ? weft__exec_fiber_join(target, ret)
	             : weft__exec_kernel_join(target, handle, ret);
}

int weft__exec_detach(struct weft_thread *target, pthread_t handle)
{
	return FIBER ? 0 : weft__exec_kernel_detach(target, handle);
}

void weft__exec_set_result(struct weft_thread *me, void *ret)
{
	if (FIBER)
		weft__exec_fiber_set_result(me, ret);
}

void weft__exec_own_memory(void (*each)(uintptr_t lo, size_t size))
{
	if (FIBER)
		weft__exec_fiber_own_memory(each);
	else
		weft__exec_kernel_own_memory(each);
}

void weft__exec_scratch_memory(void (*each)(uintptr_t lo, size_t size))
{
	if (FIBER)
		weft__exec_fiber_scratch_memory(each);
}

void weft__exec_prepare(void)
{
	if (FIBER)
		weft__exec_fiber_prepare();
}

bool weft__exec_can_block(void)
{
	return !FIBER;
}
