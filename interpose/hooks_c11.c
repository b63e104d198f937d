/* Interceptors for C11 <threads.h>: glibc implements thrd_*, mtx_*, cnd_*
 * and call_once on top of pthreads but calls its internal functions, not the
 * pthread_* symbols, so each needs its own hook. They map onto the same
 * models (mtx_t and cnd_t are glibc's pthread objects underneath) and report
 * under the names of the pthread operations; results become thrd_* codes
 * the way glibc maps them. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <threads.h>

#include "clock.h"
#include "hooks.h"
#include "model_cond.h"
#include "model_mutex.h"

#define CALLER WEFT_CALLER

static int thrd_result(int error)
{
	switch (error) {
	case 0:
		return thrd_success;
	case EBUSY:
		return thrd_busy;
	case ETIMEDOUT:
		return thrd_timedout;
	case ENOMEM:
		return thrd_nomem;
	default:
		return thrd_error;
	}
}

struct c11_start {
	thrd_start_t func;
	void *arg;
};

/* A C11 thread returns an int; glibc's join hands it back through the
 * pointer-sized result of the underlying pthread. */
static void *c11_trampoline(void *p)
{
	struct c11_start start = *(struct c11_start *)p;
	free(p);
	return (void *)(intptr_t)start.func(start.arg);
}

int thrd_create(thrd_t *thr, thrd_start_t func, void *arg)
{
	if (!weft__controlled_create())
		return weft__real.thrd_create(thr, func, arg);
	struct c11_start *start = malloc(sizeof *start);
	if (!start)
		return thrd_nomem;
	*start = (struct c11_start){func, arg};
	int rc = weft__hook_create((pthread_t *)thr, NULL, c11_trampoline, start, CALLER);
	if (rc)
		free(start);
	return thrd_result(rc);
}

int thrd_join(thrd_t thr, int *res)
{
	struct weft_thread *target;
	if (!weft__controlled() || !(target = weft__thread_by_handle((pthread_t)thr)))
		return weft__real.thrd_join(thr, res);
	void *ret = NULL;
	int rc = weft__hook_join(target, (pthread_t)thr, &ret, CALLER);
	if (res)
		*res = (int)(intptr_t)ret;
	return thrd_result(rc);
}

int thrd_detach(thrd_t thr)
{
	struct weft_thread *target;
	if (!weft__controlled() || !(target = weft__thread_by_handle((pthread_t)thr)))
		return weft__real.thrd_detach(thr);
	return thrd_result(weft__hook_detach(target, (pthread_t)thr, CALLER));
}

void thrd_exit(int res)
{
	if (weft__controlled())
		weft__self()->unwinding = true;
	weft__real.thrd_exit(res);
	__builtin_unreachable();
}

void thrd_yield(void)
{
	if (!weft__controlled()) {
		weft__real.thrd_yield();
		return;
	}
	weft__sched_point(WEFT_OP_YIELD, NULL, CALLER);
	weft__self()->yielded = true;
}

int thrd_sleep(const struct timespec *duration, struct timespec *remaining)
{
	if (!weft__controlled())
		return weft__real.thrd_sleep(duration, remaining);
	if (!weft__timespec_valid(duration) || duration->tv_sec < 0)
		return -2; /* glibc: a negative value other than -1 (interrupted) */
	uint64_t deadline = weft__deadline_after(duration);
	if (weft__sleep_until(deadline, CALLER)) {
		if (remaining)
			weft__clock_left(deadline, remaining);
		return -1; /* interrupted by a signal */
	}
	return 0;
}

int mtx_init(mtx_t *m, int type)
{
	if (!weft__controlled())
		return weft__real.mtx_init(m, type);
	weft__hook_mutex_init((pthread_mutex_t *)m, CALLER);
	return weft__real.mtx_init(m, type);
}

void mtx_destroy(mtx_t *m)
{
	if (!weft__controlled()) {
		weft__real.mtx_destroy(m);
		return;
	}
	weft__hook_mutex_destroy((pthread_mutex_t *)m, CALLER);
	weft__real.mtx_destroy(m);
}

int mtx_lock(mtx_t *m)
{
	if (!weft__controlled())
		return weft__real.mtx_lock(m);
	struct weft_object *o = weft__mutex_get((pthread_mutex_t *)m);
	weft__sched_point(WEFT_OP_MUTEX_LOCK, o, CALLER);
	return thrd_result(weft__mutex_lock(o));
}

int mtx_trylock(mtx_t *m)
{
	if (!weft__controlled())
		return weft__real.mtx_trylock(m);
	struct weft_object *o = weft__mutex_get((pthread_mutex_t *)m);
	weft__sched_point(WEFT_OP_MUTEX_TRYLOCK, o, CALLER);
	return thrd_result(weft__mutex_trylock(o));
}

int mtx_timedlock(mtx_t *restrict m, const struct timespec *restrict abs)
{
	if (!weft__controlled())
		return weft__real.mtx_timedlock(m, abs);
	return thrd_result(
	    weft__hook_mutex_timedlock((pthread_mutex_t *)m, CLOCK_REALTIME, abs, CALLER));
}

int mtx_unlock(mtx_t *m)
{
	if (!weft__controlled())
		return weft__real.mtx_unlock(m);
	struct weft_object *o = weft__mutex_get((pthread_mutex_t *)m);
	weft__sched_point(WEFT_OP_MUTEX_UNLOCK, o, CALLER);
	return thrd_result(weft__mutex_unlock(o));
}

int cnd_init(cnd_t *c)
{
	if (!weft__controlled())
		return weft__real.cnd_init(c);
	weft__hook_cond_init((pthread_cond_t *)c, CALLER);
	return weft__real.cnd_init(c);
}

void cnd_destroy(cnd_t *c)
{
	if (!weft__controlled()) {
		weft__real.cnd_destroy(c);
		return;
	}
	weft__hook_cond_destroy((pthread_cond_t *)c, CALLER);
}

int cnd_signal(cnd_t *c)
{
	if (!weft__controlled())
		return weft__real.cnd_signal(c);
	struct weft_object *o = weft__cond_get((pthread_cond_t *)c);
	weft__sched_point(WEFT_OP_COND_SIGNAL, o, CALLER);
	weft__cond_signal(o);
	return thrd_success;
}

int cnd_broadcast(cnd_t *c)
{
	if (!weft__controlled())
		return weft__real.cnd_broadcast(c);
	struct weft_object *o = weft__cond_get((pthread_cond_t *)c);
	weft__sched_point(WEFT_OP_COND_BROADCAST, o, CALLER);
	weft__cond_broadcast(o);
	return thrd_success;
}

int cnd_wait(cnd_t *c, mtx_t *m)
{
	if (!weft__controlled())
		return weft__real.cnd_wait(c, m);
	return thrd_result(weft__hook_cond_wait((pthread_cond_t *)c, (pthread_mutex_t *)m,
	                                        CLOCK_REALTIME, NULL, CALLER));
}

int cnd_timedwait(cnd_t *restrict c, mtx_t *restrict m, const struct timespec *restrict abs)
{
	if (!weft__controlled())
		return weft__real.cnd_timedwait(c, m, abs);
	return thrd_result(weft__hook_cond_wait((pthread_cond_t *)c, (pthread_mutex_t *)m,
	                                        CLOCK_REALTIME, abs, CALLER));
}

void call_once(once_flag *flag, void (*func)(void))
{
	if (!weft__controlled()) {
		weft__real.call_once(flag, func);
		return;
	}
	weft__hook_once((pthread_once_t *)flag, func, CALLER);
}
