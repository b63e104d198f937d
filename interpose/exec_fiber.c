/* The fiber execution layer: every program thread is a fiber on the one
 * kernel thread of the execution. A fiber has its own stack (the size its
 * attributes ask for, a guard page below) and its own glibc thread control
 * block (fiber_tcb.c); passing the turn saves the callee-saved registers,
 * loads the other fiber's (exec_fiber_switch.S) and switches the thread
 * pointer. Thread 0 is the kernel thread itself, on its own stack and TCB.
 *
 * A thread ends as glibc ends one: its start routine returns, or
 * pthread_exit unwinds its stack (running cleanup handlers and C++
 * destructors) with glibc's own unwinder, which lands in the fiber's entry
 * frame through the cleanup buffer it registered there, as start_thread's
 * does. As on a kernel thread (thread_end.c), the cleanup handler that
 * weft__thread_run pushes first runs last, under weft's control: the C++
 * thread_local and thread-specific data destructors, then the exit step;
 * then the fiber switches away for good, and the joiner gives its stack
 * and TCB back to the pools.
 *
 * What fibers cannot do: wait in the kernel for another program thread (a
 * pipe, a socket): the one kernel thread blocks and no other thread runs.
 * The hang watchdog then names the call, and --threads=kernel runs the
 * program on kernel threads. */
#define _GNU_SOURCE
#include "exec_impl.h"
#include "fiber_tcb.h"
#include "resident.h"
#include "runtime.h"
#include "signals.h"
#include "spin.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/single_threaded.h>
#include <sys/syscall.h>
#include <unistd.h>

void weft__fiber_switch(void **save_sp, void *next_sp);
void weft__fiber_start(void);
/* __sigsetjmp under the type of a cancellation buffer, as pthread.h's
 * pthread_cleanup_push declares it. */
extern int weft__sigsetjmp_cancel(void *env, int savemask) __asm__("__sigsetjmp")
    __attribute__((returns_twice));

struct fiber {
	void *sp;  /* saved stack pointer while switched out */
	void *tcb; /* its thread pointer */
	char *map; /* its stack mapping (guard included), NULL if not ours */
	size_t map_len, guard;
	void *result;   /* the start routine's result or pthread_exit's value */
	char *stack_lo; /* its usable stack, guard excluded */
	size_t stack_size;
	bool freed;
	/* Its stack has run no thread since the execution (or the snapshot)
	 * began: the race detector knows nothing of it. */
	bool clean;
	sigset_t mask; /* its creator's signal mask, which it starts with */
	bool own_mask; /* masks are the threads' own (signals.h): mask is set */
};

/* Stacks of ended fibers, kept for the next fibers of the same size. */
#define STACK_POOL_MAX 64
static struct {
	char *map;
	size_t len, guard;
	/* Ran a thread of this execution (the pool is put back with the
	 * process's memory, so this starts false). */
	bool used;
} stack_pool[STACK_POOL_MAX];
static unsigned stacks_pooled;

/* How many fibers' stacks and TCBs the fork server makes ahead. */
#define PREPARED_FIBERS 16

_Noreturn void weft__exec_refuse(const char *why)
{
	struct weft_shm *shm = weft__rt.shm;
	snprintf(shm->message, sizeof shm->message,
	         "--threads=fiber cannot run this program: %s; use --threads=kernel", why);
	shm->config_error = 1;
	weft__execution_end(WEFT_RUNTIME_EXIT_STATUS);
}

static struct fiber *fiber_of(struct weft_thread *t)
{
	if (!t->exec) {
		/* Thread 0: the kernel thread as it is. */
		const char *why = NULL;
		if (!weft__tcb_init(&why))
			weft__exec_refuse(why);
		struct fiber *f = weft__pool_alloc(sizeof *f);
		f->tcb = weft__tcb_current();
		t->exec = f;
	}
	return t->exec;
}

static char *stack_map(size_t len, size_t guard)
{
	char *map = mmap(NULL, len, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (map == MAP_FAILED)
		return NULL;
	if (guard && mprotect(map, guard, PROT_NONE) != 0) {
		munmap(map, len);
		return NULL;
	}
	return map;
}

/* A stack of len bytes; *clean when it is one the fork server made ahead
 * and no thread of this execution ran on. A stack mapped now may sit where
 * an unmapped one was, so it is not clean. */
static char *stack_get(size_t len, size_t guard, bool *clean)
{
	/* The stack given back last first: its pages are likely mapped. */
	for (unsigned i = stacks_pooled; i-- > 0;)
		if (stack_pool[i].len == len && stack_pool[i].guard == guard) {
			char *map = stack_pool[i].map;
			*clean = !stack_pool[i].used;
			stack_pool[i] = stack_pool[--stacks_pooled];
			return map;
		}
	*clean = false;
	return stack_map(len, guard);
}

static void release(struct fiber *f)
{
	if (f->freed)
		return;
	f->freed = true;
	if (f->map) {
		if (stacks_pooled < STACK_POOL_MAX) {
			stack_pool[stacks_pooled].map = f->map;
			stack_pool[stacks_pooled].guard = f->guard;
			stack_pool[stacks_pooled].used = true;
			stack_pool[stacks_pooled++].len = f->map_len;
		} else {
			munmap(f->map, f->map_len);
		}
	}
	weft__tcb_put(f->tcb);
}

/* Detached fibers that ended cannot free the stack they ended on; the
 * next creation does. */
static void release_detached(void)
{
	for (uint32_t i = 1; i < weft__rt.nthreads; i++)
		weft__exec_fiber_slot_reused(weft__rt.threads[i]);
}

/* Also before its slot's record is replaced (thread_slots.c), which
 * happens before release_detached() could see it: otherwise a detached
 * thread's stack stayed mapped until the execution's end. */
void weft__exec_fiber_slot_reused(struct weft_thread *t)
{
	if (t->exited && t->detached && t->exec && t != weft__self())
		release(t->exec);
}

/* Reached only when thread_end.c did not end the thread (weft no longer
 * controls the execution): what glibc runs after a thread's end, then the
 * turn goes on for good. */
static _Noreturn void fiber_end(void)
{
	weft__tcb_run_destructors();
	weft__thread_finish();
	weft__sched_leave();
	__builtin_trap();
}

/* The fiber's entry, on its own stack and TCB. */
static _Noreturn void fiber_main(struct weft_thread *me)
{
	struct fiber *f = me->exec;
	__pthread_unwind_buf_t landing;
	memset(&landing, 0, sizeof landing);
	if (weft__sigsetjmp_cancel(landing.__cancel_jmp_buf, 0) == 0) {
		weft__tcb_set_exit_landing(&landing);
		weft__set_self(me);
		weft__spin_thread_start(me);
		/* A thread starts with its creator's signal mask, not with the
		 * mask of the fiber that switched here from inside the runtime. */
		if (f->own_mask)
			syscall(SYS_rt_sigprocmask, SIG_SETMASK, &f->mask, NULL, _NSIG / 8);
		/* Destructors and the exit step run in its cleanup handler, and
		 * the fiber switches away for good there (thread_end.c). */
		f->result = weft__thread_run(me);
	}
	/* Returned, or pthread_exit unwound the stack down to here. */
	fiber_end();
}

/* The stack mapping length (guard included) and guard size the
 * attributes ask for; *top the end of a stack the program gave, or NULL. */
static void stack_geometry(const pthread_attr_t *attr, size_t *len, size_t *guard, void **top)
{
	pthread_attr_t defaults;
	if (!attr) {
		pthread_attr_init(&defaults);
		attr = &defaults;
	}
	size_t size = 0;
	void *low = NULL;
	pthread_attr_getstacksize(attr, &size);
	pthread_attr_getguardsize(attr, guard);
	/* A stack the program gave (pthread_attr_setstack) is used as is;
	 * without one, glibc reports its end as 0 (the start as -size). */
	size_t given = 0;
	*top = NULL;
	if (pthread_attr_getstack(attr, &low, &given) == 0)
		*top = (void *)((uintptr_t)low + given);
	if (attr == &defaults)
		pthread_attr_destroy(&defaults);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	*guard = (*guard + page - 1) & ~(page - 1);
	*len = ((size + page - 1) & ~(page - 1)) + *guard;
}

void weft__exec_fiber_prepare(void)
{
	const char *why;
	if (!weft__tcb_init(&why))
		return; /* the first execution that creates a thread says why */
	size_t len, guard;
	void *top;
	stack_geometry(NULL, &len, &guard, &top);
	while (stacks_pooled < PREPARED_FIBERS) {
		char *map = stack_map(len, guard);
		if (!map)
			break;
		stack_pool[stacks_pooled].map = map;
		stack_pool[stacks_pooled].guard = guard;
		stack_pool[stacks_pooled++].len = len;
	}
	weft__tcb_prepare(PREPARED_FIBERS);
}

/* Below a live fiber's stack pointer, one page of margin, nothing is
 * read before it is written again (a snapshot at the first branch point
 * has live fibers; its fiber stacks, 8 MiB each by default, would
 * otherwise cost every restore's scan a walk of their page tables). */
#define STACK_MARGIN 4096ul

void weft__exec_fiber_scratch_memory(void (*each)(uintptr_t lo, size_t size))
{
	for (unsigned i = 0; i < stacks_pooled; i++)
		each((uintptr_t)stack_pool[i].map, stack_pool[i].len);
	/* The running fiber's pointer is deeper than this frame by the
	 * snapshot's own calls: two pages of margin. */
	uintptr_t here = (uintptr_t)__builtin_frame_address(0) - STACK_MARGIN;
	for (uint32_t i = 0; i < weft__rt.nthreads; i++) {
		struct weft_thread *t = weft__rt.threads[i];
		struct fiber *f = t ? t->exec : NULL;
		if (!f || !f->map || f->freed)
			continue;
		uintptr_t sp = t == weft__self() ? here : (uintptr_t)f->sp;
		uintptr_t lo = (uintptr_t)f->stack_lo;
		uintptr_t hi = ((sp & ~(STACK_MARGIN - 1)) - STACK_MARGIN);
		if (sp > lo + STACK_MARGIN && hi > lo)
			each(lo, hi - lo);
	}
}

int weft__exec_fiber_create(struct weft_thread *child, const pthread_attr_t *attr,
                            pthread_t *handle)
{
	fiber_of(weft__rt.threads[0]);
	/* glibc's pthread_create tells the C library and libstdc++ that the
	 * process is multi-threaded; without it they would take shortcuts a
	 * second thread breaks (plain reference counts instead of atomic ones,
	 * a function-local static's guard found busy taken for recursion). */
	__libc_single_threaded = 0;
	release_detached();
	size_t len, guard;
	void *top;
	stack_geometry(attr, &len, &guard, &top);
	struct fiber *f = weft__pool_alloc(sizeof *f);
	if (!top) {
		f->map_len = len;
		f->guard = guard;
		f->map = stack_get(f->map_len, guard, &f->clean);
		if (!f->map)
			return EAGAIN;
		top = f->map + f->map_len;
		f->stack_lo = f->map + guard;
	} else {
		f->stack_lo = (char *)top - (len - guard);
	}
	f->stack_size = (size_t)((char *)top - f->stack_lo);
	f->tcb = weft__tcb_get();
	if (!f->tcb) {
		if (f->map)
			munmap(f->map, f->map_len);
		return EAGAIN;
	}
	/* The first switch to the fiber pops the frame weft__fiber_switch
	 * pushes (control words, r15, r14, r13, r12, rbx, rbp) and returns
	 * into weft__fiber_start with the stack 16-byte aligned. */
	uintptr_t *sp = (uintptr_t *)(((uintptr_t)top & ~(uintptr_t)15) - 80);
	uint32_t control[2];
	__asm__ volatile("stmxcsr %0\n\tfnstcw %1" : "=m"(control[0]), "=m"(control[1]));
	sp[0] = control[0] | ((uint64_t)(control[1] & 0xffff) << 32);
	sp[1] = 0;                            /* r15 */
	sp[2] = 0;                            /* r14 */
	sp[3] = (uintptr_t)fiber_main;        /* r13: the entry */
	sp[4] = (uintptr_t)child;             /* r12: its argument */
	sp[5] = 0;                            /* rbx */
	sp[6] = 0;                            /* rbp */
	sp[7] = (uintptr_t)weft__fiber_start; /* return address */
	f->sp = sp;
	/* Where the fibers share the kernel thread's mask (signals.h), the
	 * new one starts with it as it is: two system calls fewer per thread. */
	f->own_mask = weft__signals_handled();
	if (f->own_mask)
		syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &f->mask, _NSIG / 8);
	child->exec = f;
	child->shared->tid = weft__self()->shared->tid;
	*handle = (pthread_t)f->tcb;
	return 0;
}

void weft__exec_fiber_switch(struct weft_thread *me, struct weft_thread *next)
{
	struct fiber *from = fiber_of(me), *to = fiber_of(next);
	weft__tcb_switch_to(to->tcb);
	weft__fiber_switch(&from->sp, to->sp);
}

void weft__exec_fiber_leave(struct weft_thread *next)
{
	struct weft_thread *me = weft__self();
	if (!me->exited)
		weft__exec_refuse(
		    "a thread would wait in a blocking call (--yield-at ...=blocking) while "
		    "others run, which needs a kernel thread of its own");
	if (!next) {
		/* The last thread ended: the process exits, as glibc's last
		 * thread does. */
		weft__real.exit(0);
	}
	void *discard;
	struct fiber *to = fiber_of(next);
	weft__tcb_switch_to(to->tcb);
	weft__fiber_switch(&discard, to->sp);
	__builtin_trap();
}

void weft__exec_fiber_own_memory(void (*each)(uintptr_t lo, size_t size))
{
	struct weft_thread *me = weft__self();
	struct fiber *f = me ? me->exec : NULL;
	if (!f || me->id == 0) {
		weft__exec_kernel_own_memory(each); /* thread 0 is the kernel thread's */
		return;
	}
	/* A clean stack holds nothing to forget (the race detector swept its
	 * whole table for each thread's stack of 8 MiB). */
	if (!f->clean)
		each((uintptr_t)f->stack_lo, f->stack_size);
	uintptr_t lo;
	size_t size;
	weft__tcb_block(f->tcb, &lo, &size);
	each(lo, size);
}

int weft__exec_getattr(struct weft_thread *t, pthread_attr_t *attr)
{
	struct fiber *f = t->exec;
	int rc = pthread_attr_init(attr);
	if (rc != 0)
		return rc;
	pthread_attr_setstack(attr, f->stack_lo, f->stack_size);
	pthread_attr_setguardsize(attr, f->guard);
	pthread_attr_setdetachstate(attr, t->detached ? PTHREAD_CREATE_DETACHED
	                                              : PTHREAD_CREATE_JOINABLE);
	return 0;
}

int weft__exec_fiber_join(struct weft_thread *target, void **ret)
{
	struct fiber *f = target->exec;
	if (ret)
		*ret = f->result;
	release(f);
	return 0;
}

void weft__exec_fiber_set_result(struct weft_thread *me, void *ret)
{
	fiber_of(me)->result = ret;
}
