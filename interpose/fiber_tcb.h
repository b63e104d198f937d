/* glibc's thread control block for fibers (fiber_tcb.c): what a fiber needs
 * from glibc's private thread layout to behave as a thread. */
#ifndef WEFT_FIBER_TCB_H
#define WEFT_FIBER_TCB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Find glibc's private entry points and field offsets; false (with *why
 * set) when this glibc does not offer them. */
bool weft__tcb_init(const char **why);

/* The calling fiber's thread pointer (its TCB), and switching it. */
void *weft__tcb_current(void);
void weft__tcb_switch_to(void *tcb);

/* A TCB with fresh TLS (the initial images copied in), its stack-protector
 * and pointer-guard words taken from the calling thread's; from a pool of
 * TCBs given back, else newly allocated. NULL when out of memory. */
void *weft__tcb_get(void);
/* The memory block of a TCB: its static TLS below it, and the TCB. */
void weft__tcb_block(void *tcb, uintptr_t *lo, size_t *size);

/* Make n fresh TCBs ahead, for weft__tcb_get. */
void weft__tcb_prepare(unsigned n);
/* Give a TCB whose fiber has ended back to the pool. */
void weft__tcb_put(void *tcb);

/* Make `buf` (a __pthread_unwind_buf_t the fiber's entry set with
 * __sigsetjmp) the place glibc's pthread_exit lands after unwinding the
 * calling fiber's stack, as start_thread's buffer is for a thread. */
void weft__tcb_set_exit_landing(void *buf);

/* Run the calling fiber's C++ thread_local destructors and its
 * thread-specific data destructors, as glibc does when a thread ends. */
void weft__tcb_run_destructors(void);

#endif
