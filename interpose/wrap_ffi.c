/* The libffi closures behind wrapped functions, and what each call means to
 * weft. Every GOT slot of a wrapped function points at its closure; the
 * handler passes the call straight through when weft does not control the
 * thread, else makes the role's scheduling point and model step, forwards
 * the call with ffi_call (arguments and return value untouched) and, for
 * unlock, releases the model's lock after it. errno is the original's.
 *
 * Roles on the models: lock(N) is the mutex model on a "user lock" object
 * keyed by argument N; since the scheduler runs the caller only once the
 * model's lock is free, the original acquires at once and never spins.
 * unlock(N) checks ownership before the call and releases after it. yield
 * gives way as sched_yield does. call is a plain scheduling point. blocking
 * is in wrap_blocking.c. */
#define _GNU_SOURCE
#include "model_cond.h"
#include "model_mutex.h"
#include "race.h"
#include "wrap.h"

#include <errno.h>
#include <string.h>
#include <limits.h>
#include <stdio.h>
#include <unwind.h>

/* Set while the runtime works for a wrapped call: a wrapped function that the
 * runtime itself reaches then passes straight through. */
static __thread bool busy __attribute__((tls_model("initial-exec")));

/* User-lock objects are keyed by the lock's address with this bit set, so
 * that a program lock which is also a pthread mutex (a wrapper around one)
 * gets two objects, one per model. */
#define USER_LOCK_KEY ((uintptr_t)1 << 63)
#define USER_COND_KEY ((uintptr_t)1 << 62)

static ffi_type *ffi_type_of(unsigned type)
{
	switch (type) {
	case WEFT_CTYPE_VOID:
		return &ffi_type_void;
	case WEFT_CTYPE_BOOL:
	case WEFT_CTYPE_UCHAR:
		return &ffi_type_uint8;
	case WEFT_CTYPE_CHAR:
		return CHAR_MIN < 0 ? &ffi_type_sint8 : &ffi_type_uint8;
	case WEFT_CTYPE_SCHAR:
		return &ffi_type_sint8;
	case WEFT_CTYPE_SHORT:
		return &ffi_type_sint16;
	case WEFT_CTYPE_USHORT:
		return &ffi_type_uint16;
	case WEFT_CTYPE_INT:
		return &ffi_type_sint32;
	case WEFT_CTYPE_UINT:
		return &ffi_type_uint32;
	case WEFT_CTYPE_LONG:
	case WEFT_CTYPE_LLONG:
		return &ffi_type_sint64;
	case WEFT_CTYPE_ULONG:
	case WEFT_CTYPE_ULLONG:
		return &ffi_type_uint64;
	case WEFT_CTYPE_FLOAT:
		return &ffi_type_float;
	case WEFT_CTYPE_DOUBLE:
		return &ffi_type_double;
	case WEFT_CTYPE_LDOUBLE:
		return &ffi_type_longdouble;
	case WEFT_CTYPE_POINTER:
		return &ffi_type_pointer;
	default:
		return NULL;
	}
}

/* The value of an integer or pointer argument, as an object key. */
static uintptr_t arg_value(unsigned type, const void *p)
{
	switch (type) {
	case WEFT_CTYPE_BOOL:
	case WEFT_CTYPE_UCHAR:
		return *(const uint8_t *)p;
	case WEFT_CTYPE_CHAR:
		return (uintptr_t)(intptr_t) * (const char *)p;
	case WEFT_CTYPE_SCHAR:
		return (uintptr_t)(intptr_t) * (const int8_t *)p;
	case WEFT_CTYPE_SHORT:
		return (uintptr_t)(intptr_t) * (const int16_t *)p;
	case WEFT_CTYPE_USHORT:
		return *(const uint16_t *)p;
	case WEFT_CTYPE_INT:
		return (uintptr_t)(intptr_t) * (const int32_t *)p;
	case WEFT_CTYPE_UINT:
		return *(const uint32_t *)p;
	default:
		return *(const uintptr_t *)p; /* long, long long, pointers */
	}
}

/* --- the caller's address ---
 * libffi hands the handler no return address. The unwinder finds it (the
 * first frame past libffi's own), but costs about a microsecond; libffi's
 * closure frame also keeps it at a fixed distance above the return-value
 * slot it passes in. That distance is learnt at start-up by comparing the
 * two for closures of different shapes, and used only when they agree. */
static uintptr_t ffi_lo, ffi_hi;
static int caller_slot = -1; /* words above ret, or -1: use the unwinder */

struct walk {
	uintptr_t pc;
	bool in_ffi;
};

static _Unwind_Reason_Code walk_frame(struct _Unwind_Context *c, void *arg)
{
	struct walk *w = arg;
	uintptr_t pc = _Unwind_GetIP(c);
	bool in_ffi = pc >= ffi_lo && pc < ffi_hi;
	if (w->in_ffi && !in_ffi) {
		w->pc = pc;
		return _URC_END_OF_STACK;
	}
	w->in_ffi |= in_ffi;
	return _URC_NO_REASON;
}

static uintptr_t unwind_caller(void)
{
	struct walk w = {0, false};
	_Unwind_Backtrace(walk_frame, &w);
	return w.pc;
}

static uintptr_t caller_pc(void *ret)
{
	if (caller_slot >= 0)
		return ((uintptr_t *)ret)[caller_slot];
	/* The unwinder may lock a mutex of its own: not the program's. */
	weft__rt.wrapping = true;
	uintptr_t pc = unwind_caller();
	weft__rt.wrapping = false;
	return pc;
}

#define PROBE_WORDS 64

static void probe_handler(ffi_cif *cif, void *ret, void **args, void *data)
{
	(void)cif;
	(void)args;
	int *found = data;
	uintptr_t truth = unwind_caller();
	*found = -1;
	for (int i = 0; truth && i < PROBE_WORDS; i++)
		if (((uintptr_t *)ret)[i] == truth) {
			*found = i;
			return;
		}
}

static int probe(unsigned nargs, ffi_type *ret_type)
{
	static ffi_type *args[8] = {&ffi_type_pointer, &ffi_type_sint64,  &ffi_type_sint32,
	                            &ffi_type_double,  &ffi_type_pointer, &ffi_type_sint64,
	                            &ffi_type_pointer, &ffi_type_sint64};
	ffi_cif cif;
	void *code;
	int found = -1;
	ffi_closure *c = ffi_closure_alloc(sizeof *c, &code);
	if (!c)
		return -1;
	if (ffi_prep_cif(&cif, FFI_DEFAULT_ABI, nargs, ret_type, args) == FFI_OK &&
	    ffi_prep_closure_loc(c, &cif, probe_handler, &found, code) == FFI_OK) {
		if (nargs == 0)
			((void (*)(void))code)();
		else
			((long (*)(void *, long, int, double, void *, long, void *, long))code)(
			    NULL, 1, 2, 3.0, NULL, 5, NULL, 7);
	}
	ffi_closure_free(c);
	return found;
}

void weft__wrap_calls_init(void)
{
	if (!weft__object_range((void *)ffi_call, &ffi_lo, &ffi_hi))
		return;
	int a = probe(0, &ffi_type_void), b = probe(8, &ffi_type_sint64);
	caller_slot = a >= 0 && a == b ? a : -1;
}

/* --- closures --- */

static void forward(struct weft_wrapped *w, void *ret, void **args)
{
	ffi_call(&w->cif, FFI_FN(w->original), w->spec.ret == WEFT_CTYPE_VOID ? NULL : ret, args);
}

/* The program's lock or condition variable at `value`: an object of its own
 * kind, apart from any other use of the address. */
static struct weft_object *keyed_object(uintptr_t value, uintptr_t key, enum weft_object_kind kind)
{
	struct weft_object *o = weft__object_get((void *)(value | key), kind);
	/* Reports name the object by its real address. */
	if (o->id < WEFT_MAX_OBJECTS && weft__rt.shm->objects[o->id].addr == (value | key))
		weft__rt.shm->objects[o->id].addr = value;
	return o;
}

static struct weft_object *object_of(struct weft_wrapped *w, void **args)
{
	const struct weft_wrap_spec *s = &w->spec;
	if (!s->role_arg)
		return weft__object_get(w->original, WEFT_OBJECT_FUNCTION);
	uintptr_t value = arg_value(s->args[s->role_arg - 1], args[s->role_arg - 1]);
	switch (s->role) {
	case WEFT_WRAP_LOCK:
	case WEFT_WRAP_UNLOCK:
	case WEFT_WRAP_TRYLOCK:
		return keyed_object(value, USER_LOCK_KEY, WEFT_OBJECT_USER_LOCK);
	case WEFT_WRAP_WAIT:
	case WEFT_WRAP_SIGNAL:
	case WEFT_WRAP_BROADCAST:
		return keyed_object(value, USER_COND_KEY, WEFT_OBJECT_COND);
	default:
		return weft__object_get((void *)value, WEFT_OBJECT_USER);
	}
}

static void lock(struct weft_wrapped *w, struct weft_thread *me, struct weft_object *o)
{
	if (o->u.mutex.owner == me)
		weft__fail(WEFT_BUG_MISUSE,
		           "thread %u calls %s on lock#%u, which it already holds: weft models a "
		           "lock(N) role as a lock that its owner cannot take again",
		           me->id, w->spec.name, o->id);
	weft__mutex_acquire(me, o, 1);
}

static void check_unlock(struct weft_wrapped *w, struct weft_thread *me, struct weft_object *o)
{
	struct weft_thread *owner = o->u.mutex.owner;
	if (owner == me)
		return;
	if (owner)
		weft__fail(WEFT_BUG_MISUSE, "thread %u calls %s on lock#%u, which thread %u holds",
		           me->id, w->spec.name, o->id, owner->id);
	weft__fail(WEFT_BUG_MISUSE, "thread %u calls %s on lock#%u, which is not locked", me->id,
	           w->spec.name, o->id);
}

/* trylock(N): the real function decides, on a lock the model says is
 * free exactly when it really is; its return value says whether it took
 * the lock, by the convention the spec gives. */
static void trylock_returned(struct weft_wrapped *w, struct weft_thread *me, struct weft_object *o,
                             void *ret)
{
	int64_t v = (int64_t)arg_value(w->spec.ret, ret);
	bool taken = w->spec.has_success ? v == w->spec.success : v != 0;
	if (!taken) {
		me->yielded = true; /* a failed try makes no progress, as for mutexes */
		return;
	}
	if (o->u.mutex.owner)
		weft__limit("%s returned %lld, which --yield-at reads as \"taken\" "
		            "(trylock(%u)%s), while thread %u holds lock#%u: give the value "
		            "that means taken in the spec, as in trylock(%u)==0",
		            w->spec.name, (long long)v, w->spec.role_arg,
		            w->spec.has_success ? "==V" : ": non-zero", o->u.mutex.owner->id, o->id,
		            w->spec.role_arg);
	weft__mutex_acquire(me, o, 1);
}

/* wait(N, M) releases and retakes the program's lock with the lock's own
 * functions, the lock(1) and unlock(1) specs, called directly. */
static struct weft_wrapped *lock_function(const struct weft_wrapped *waiter, unsigned role)
{
	struct weft_wrapped *l = weft__wrap_with_role(role);
	if (!l || l->spec.nargs != 1 || l->spec.role_arg != 1)
		weft__limit(
		    "--yield-at %s=wait(%u,%u): weft releases and retakes the lock of a wait "
		    "with the lock's own functions; name them too, each with one parameter, "
		    "as in --yield-at 'my_lock(lock_t *)->void=lock(1)' and "
		    "'my_unlock(lock_t *)->void=unlock(1)'",
		    waiter->spec.name, waiter->spec.role_arg, waiter->spec.role_arg2);
	return l;
}

static void call_lock_function(struct weft_wrapped *l, uintptr_t value)
{
	ffi_arg result[4];
	void *argv[1] = {&value};
	ffi_call(&l->cif, FFI_FN(l->original), result, argv);
}

/* The roles of a condition variable of the program's own: weft's model of
 * condition variables on it, with the original functions never called (the
 * model does their work), so the call returns 0. */
static void condition_role(struct weft_wrapped *w, struct weft_object *o, void *ret, void **args,
                           uintptr_t pc)
{
	const struct weft_wrap_spec *s = &w->spec;
	switch (s->role) {
	case WEFT_WRAP_WAIT: {
		uintptr_t lock = arg_value(s->args[s->role_arg2 - 1], args[s->role_arg2 - 1]);
		/* Without the lock's own functions weft could neither know who
		 * holds it nor release it: refuse before anything is judged. */
		struct weft_wrapped *take = lock_function(w, WEFT_WRAP_LOCK);
		struct weft_wrapped *release = lock_function(w, WEFT_WRAP_UNLOCK);
		struct weft_object *m = keyed_object(lock, USER_LOCK_KEY, WEFT_OBJECT_USER_LOCK);
		weft__sched_point_func(WEFT_OP_COND_WAIT, o, w->func, pc);
		weft__cond_wait_begin(o, m);
		call_lock_function(release, lock);
		weft__sched_point_func(WEFT_OP_COND_WAKE, o, w->func, pc);
		bool relock;
		weft__cond_wake(o, &relock);
		if (relock)
			weft__sched_point_func(WEFT_OP_COND_RELOCK, m, w->func, pc);
		weft__cond_wait_end(o);
		call_lock_function(take, lock);
		break;
	}
	case WEFT_WRAP_SIGNAL:
		weft__sched_point_func(WEFT_OP_COND_SIGNAL, o, w->func, pc);
		weft__cond_signal(o);
		break;
	default:
		weft__sched_point_func(WEFT_OP_COND_BROADCAST, o, w->func, pc);
		weft__cond_broadcast(o);
		break;
	}
	if (s->ret != WEFT_CTYPE_VOID)
		memset(ret, 0, sizeof(ffi_arg));
}

static bool takes_part(const struct weft_wrapped *w)
{
	if (busy || (!w->claims && !weft__rt.active))
		return false;
	return weft__controlled();
}

static void handler(ffi_cif *cif, void *ret, void **args, void *data)
{
	(void)cif;
	struct weft_wrapped *w = data;
	if (!takes_part(w)) {
		forward(w, ret, args);
		return;
	}
	busy = true;
	struct weft_thread *me = weft__self();
	uintptr_t pc = caller_pc(ret);
	struct weft_object *o = object_of(w, args);
	switch (w->spec.role) {
	case WEFT_WRAP_LOCK:
		weft__sched_point_func(WEFT_OP_USER_LOCK, o, w->func, pc);
		lock(w, me, o);
		break;
	case WEFT_WRAP_UNLOCK:
		weft__sched_point_func(WEFT_OP_USER_UNLOCK, o, w->func, pc);
		check_unlock(w, me, o);
		weft__race_release(o);
		break;
	case WEFT_WRAP_TRYLOCK:
		weft__sched_point_func(WEFT_OP_USER_TRYLOCK, o, w->func, pc);
		if (o->u.mutex.owner == me)
			weft__fail(WEFT_BUG_MISUSE,
			           "thread %u calls %s on lock#%u, which it already holds: weft "
			           "models a trylock(N) role as a lock that its owner cannot take "
			           "again",
			           me->id, w->spec.name, o->id);
		busy = false;
		forward(w, ret, args);
		int saved_errno = errno;
		trylock_returned(w, me, o, ret);
		errno = saved_errno;
		return;
	case WEFT_WRAP_WAIT:
	case WEFT_WRAP_SIGNAL:
	case WEFT_WRAP_BROADCAST:
		condition_role(w, o, ret, args, pc);
		busy = false;
		return;
	case WEFT_WRAP_YIELD:
		weft__sched_point_func(WEFT_OP_CALL_YIELD, o, w->func, pc);
		me->yielded = true;
		break;
	case WEFT_WRAP_BLOCKING:
		weft__sched_point_func(WEFT_OP_CALL_BLOCKING, o, w->func, pc);
		weft__outside_enter(me);
		busy = false;
		forward(w, ret, args);
		int saved = errno;
		busy = true;
		weft__outside_return(me, o, w->func, pc);
		busy = false;
		errno = saved;
		return;
	default:
		weft__sched_point_func(WEFT_OP_CALL, o, w->func, pc);
		break;
	}
	busy = false;
	forward(w, ret, args);
	if (w->spec.role == WEFT_WRAP_UNLOCK) {
		int saved = errno;
		weft__mutex_release_all(me, o);
		errno = saved;
	}
}

bool weft__wrap_closure_new(struct weft_wrapped *w, char *err, size_t errlen)
{
	const struct weft_wrap_spec *s = &w->spec;
	ffi_type *ret = ffi_type_of(s->ret);
	for (unsigned i = 0; i < s->nargs; i++)
		w->types[i] = ffi_type_of(s->args[i]);
	ffi_status st =
	    ret ? ffi_prep_cif(&w->cif, FFI_DEFAULT_ABI, s->nargs, ret, w->types) : FFI_BAD_TYPEDEF;
	if (st != FFI_OK) {
		snprintf(err, errlen, "libffi cannot describe this signature (ffi_prep_cif: %s)",
		         st == FFI_BAD_TYPEDEF ? "bad type"
		         : st == FFI_BAD_ABI   ? "bad ABI"
		                               : "error");
		return false;
	}
	w->closure = ffi_closure_alloc(sizeof *w->closure, &w->entry);
	if (!w->closure) {
		snprintf(err, errlen,
		         "libffi could not allocate a closure (is executable memory "
		         "forbidden here?)");
		return false;
	}
	st = ffi_prep_closure_loc(w->closure, &w->cif, handler, w, w->entry);
	if (st != FFI_OK) {
		snprintf(err, errlen,
		         "libffi could not prepare the closure (ffi_prep_closure_loc "
		         "failed)");
		return false;
	}
	return true;
}
