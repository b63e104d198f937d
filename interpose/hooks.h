/* Interceptor bodies shared by the POSIX hooks and the C11 hooks that map
 * onto the same models (glibc's thrd_*, mtx_*, cnd_* and call_once do not
 * go through the pthread_* symbols, so each needs its own hook). Each
 * returns the POSIX error number; the caller has already checked that weft
 * controls the calling thread. */
#ifndef WEFT_HOOKS_H
#define WEFT_HOOKS_H

#include "runtime.h"

#define WEFT_CALLER ((uintptr_t)__builtin_return_address(0))

/* The model's side of pthread_mutex_init/destroy and pthread_cond_init/
 * destroy (also mtx_* and cnd_*): a scheduling point, the misuse check, and
 * the object forgotten; the caller then calls the real function. */
void weft__hook_mutex_init(pthread_mutex_t *m, uintptr_t pc);
void weft__hook_mutex_destroy(pthread_mutex_t *m, uintptr_t pc);
void weft__hook_cond_init(pthread_cond_t *c, uintptr_t pc);
void weft__hook_cond_destroy(pthread_cond_t *c, uintptr_t pc);

/* pthread_mutex_clocklock with clock c (already known to be valid). */
int weft__hook_mutex_timedlock(pthread_mutex_t *m, clockid_t c, const struct timespec *abs,
                               uintptr_t pc);

/* pthread_cond_wait (abs == NULL) or a timed wait on clock c. */
int weft__hook_cond_wait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clock,
                         const struct timespec *abs, uintptr_t pc);

int weft__hook_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                      void *arg, uintptr_t pc);
/* target is the modelled thread behind handle. */
int weft__hook_join(struct weft_thread *target, pthread_t handle, void **ret, uintptr_t pc);
int weft__hook_detach(struct weft_thread *target, pthread_t handle, uintptr_t pc);

int weft__hook_once(pthread_once_t *once, void (*init)(void), uintptr_t pc);

#endif
