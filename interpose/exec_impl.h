/* The two implementations behind the execution layer (exec_layer.h), for
 * exec_layer.c only: the same operations, one set per mode. */
#ifndef WEFT_EXEC_IMPL_H
#define WEFT_EXEC_IMPL_H

#include "exec_layer.h"

int weft__exec_kernel_create(struct weft_thread *child, const pthread_attr_t *attr,
                             pthread_t *handle);
void weft__exec_kernel_switch(struct weft_thread *me, struct weft_thread *next);
void weft__exec_kernel_leave(struct weft_thread *next);
void weft__exec_kernel_wait_turn(struct weft_thread *me);
int weft__exec_kernel_join(struct weft_thread *target, pthread_t handle, void **ret);
int weft__exec_kernel_detach(struct weft_thread *target, pthread_t handle);

int weft__exec_fiber_create(struct weft_thread *child, const pthread_attr_t *attr,
                            pthread_t *handle);
void weft__exec_fiber_switch(struct weft_thread *me, struct weft_thread *next);
void weft__exec_fiber_leave(struct weft_thread *next);
int weft__exec_fiber_join(struct weft_thread *target, void **ret);
void weft__exec_fiber_slot_reused(struct weft_thread *t);
void weft__exec_fiber_set_result(struct weft_thread *me, void *ret);
void weft__exec_fiber_prepare(void);
void weft__exec_kernel_own_memory(void (*each)(uintptr_t lo, size_t size));
void weft__exec_fiber_own_memory(void (*each)(uintptr_t lo, size_t size));
void weft__exec_fiber_scratch_memory(void (*each)(uintptr_t lo, size_t size));

#endif
