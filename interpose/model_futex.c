/* The model of raw futexes. A futex word is plain memory the program
 * changes with atomics; the kernel only keeps, for each word, a queue of
 * the threads waiting on it. So does the model: a waiting thread records
 * the word it is queued on, its bitset and when it joined (the queue is the
 * set of threads that name the word, oldest first, as the kernel's is for
 * threads of one priority), and a wake marks the oldest matching waiters
 * woken. The comparison of the word with the expected value and the
 * joining happen in one step, while no other thread runs: that is the
 * atomicity the kernel guarantees and every futex-based lock relies on.
 *
 * A wait that finds the word changed fails with EAGAIN. When a thread's
 * wait fails twice in a row on one word that holds the same value, the
 * thread is polling a word nobody changes: it gives way to the others at
 * the next decision (as a failed trylock does), so the search stays finite
 * and the thread it waits for gets to run. */
#define _GNU_SOURCE
#include "model_futex.h"

#include <errno.h>

#include "race.h"

/* Arrival order in the queues of this execution (a fresh process each). */
static uint64_t next_seq = 1;

struct weft_object *weft__futex_get(const uint32_t *word)
{
	struct weft_object *o = weft__object_get(word, WEFT_OBJECT_FUTEX);
	if (o->kind != WEFT_OBJECT_FUTEX && o->kind != WEFT_OBJECT_ATOMIC)
		weft__fail(WEFT_BUG_MISUSE,
		           "thread %u uses object #%u, a synchronisation object, as a futex word",
		           weft__self()->id, o->id);
	return o;
}

/* Flag the calling thread's event, the last one recorded (it holds the
 * turn since its scheduling point). */
static void flag_event(uint8_t flag)
{
	uint32_t n = weft__rt.shm->nsteps;
	if (n && weft__rt.events[n - 1].thread == weft__self()->id)
		weft__rt.events[n - 1].flags |= flag;
}

int weft__futex_wait_begin(struct weft_object *w, const uint32_t *word, uint32_t expected,
                           uint32_t bitset)
{
	struct weft_thread *me = weft__self();
	uint32_t value = __atomic_load_n(word, __ATOMIC_SEQ_CST);
	if (value != expected) {
		if (me->futex_spun == w && me->futex_spun_value == value) {
			me->yielded = true;
			flag_event(WEFT_EVENT_YIELDED);
		}
		me->futex_spun = w;
		me->futex_spun_value = value;
		return -EAGAIN;
	}
	me->futex_spun = NULL;
	me->futex_word = w;
	me->futex_bitset = bitset;
	me->futex_woken = false;
	me->futex_seq = next_seq++;
	return 0;
}

bool weft__futex_can_wake(const struct weft_thread *t)
{
	return t->futex_woken || t->due;
}

int weft__futex_wait_end(void)
{
	struct weft_thread *me = weft__self();
	if (me->futex_woken) {
		me->futex_woken = false;
		/* The kernel orders a wake before the wait it ends, as a
		 * condition variable's signal before its wake-up. */
		weft__race_acquire(me->obj);
		return 0;
	}
	me->futex_word = NULL;
	return -ETIMEDOUT;
}

/* The oldest thread queued on w whose bitset meets `bitset` (0 = any), or
 * NULL. */
static struct weft_thread *oldest_waiter(const struct weft_object *w, uint32_t bitset)
{
	struct weft_thread *best = NULL;
	for (uint32_t i = 0; i < weft__rt.nthreads; i++) {
		struct weft_thread *t = weft__rt.threads[i];
		if (t->exited || t->futex_word != w || (bitset && !(t->futex_bitset & bitset)))
			continue;
		if (!best || t->futex_seq < best->futex_seq)
			best = t;
	}
	return best;
}

/* Wake the oldest matching waiters of w: at most n of them, and at least
 * one when `at_least_one` (FUTEX_WAKE counts only after waking). */
static int wake(struct weft_object *w, int n, uint32_t bitset, bool at_least_one)
{
	weft__race_release(w);
	int woken = 0;
	struct weft_thread *t;
	while ((woken < n || (at_least_one && woken == 0)) &&
	       (t = oldest_waiter(w, bitset)) != NULL) {
		t->futex_word = NULL;
		t->futex_woken = true;
		woken++;
	}
	return woken;
}

int weft__futex_wake(struct weft_object *w, int n, uint32_t bitset)
{
	return wake(w, n, bitset, true);
}

int weft__futex_requeue(struct weft_object *w, struct weft_object *w2, int nwake, int nrequeue)
{
	int woken = wake(w, nwake, 0, false);
	int moved = 0;
	if (w == w2)
		return woken;
	struct weft_thread *t;
	while (moved < nrequeue && (t = oldest_waiter(w, 0)) != NULL) {
		/* It now waits on w2, behind the threads already there; its
		 * pending wake-up names w2 in reports and in the trace. */
		t->futex_word = w2;
		t->futex_seq = next_seq++;
		t->obj = w2;
		t->shared->object = weft__object_id(w2);
		moved++;
	}
	return woken + moved;
}
