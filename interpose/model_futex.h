/* Operations of the raw futex model (syscall(SYS_futex, ...)). Each returns
 * what the kernel would: a count, or a negative error number. */
#ifndef WEFT_MODEL_FUTEX_H
#define WEFT_MODEL_FUTEX_H

#include "runtime.h"

/* The object of a futex word: its own kind, or the atomic location it
 * already is in a -fsanitize=thread build (so that the word's atomics and
 * its futex operations are one object to the explorer). */
struct weft_object *weft__futex_get(const uint32_t *word);

/* After the wait's scheduling point: compare the word with `expected` and
 * join the queue (0), or -EAGAIN when the word differs. */
int weft__futex_wait_begin(struct weft_object *w, const uint32_t *word, uint32_t expected,
                           uint32_t bitset);
/* After the wake-up's scheduling point: 0 when a wake took the thread off
 * the queue, else -ETIMEDOUT (its deadline came) and it leaves the queue. */
int weft__futex_wait_end(void);

/* Whether a thread waiting in a futex may leave the wait now. */
bool weft__futex_can_wake(const struct weft_thread *t);

/* Wake at most n waiters of w whose bitset meets `bitset` (the kernel
 * wakes one even when n is 0 or less); returns how many were woken. */
int weft__futex_wake(struct weft_object *w, int n, uint32_t bitset);

/* Wake at most nwake waiters of w and move at most nrequeue more to w2;
 * returns how many were woken or moved. */
int weft__futex_requeue(struct weft_object *w, struct weft_object *w2, int nwake, int nrequeue);

#endif
