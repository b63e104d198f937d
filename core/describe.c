/* Descriptions of objects and waits, from the snapshot of an execution's
 * exchange region. */
#include "describe.h"

#include <stdio.h>
#include <string.h>

static const char *kind_name(uint32_t kind)
{
	switch (kind) {
	case WEFT_OBJECT_MUTEX:
		return "mutex";
	case WEFT_OBJECT_COND:
		return "cond";
	case WEFT_OBJECT_RWLOCK:
		return "rwlock";
	case WEFT_OBJECT_SEM:
		return "sem";
	case WEFT_OBJECT_BARRIER:
		return "barrier";
	case WEFT_OBJECT_ONCE:
		return "once";
	case WEFT_OBJECT_SPIN:
		return "spin";
	case WEFT_OBJECT_USER_LOCK:
		return "lock";
	case WEFT_OBJECT_ATOMIC:
		return "atomic";
	case WEFT_OBJECT_FUTEX:
		return "futex";
	case WEFT_OBJECT_SEM_NAME:
		return "sem-name";
	default:
		return "object";
	}
}

void weft_describe_object(const struct weft_shm *snap, struct weft_symbolizer *sym, unsigned op,
                          uint32_t object, char *buf, size_t len)
{
	if (op == WEFT_OP_CREATE || op == WEFT_OP_JOIN || op == WEFT_OP_DETACH ||
	    op == WEFT_OP_CANCEL) {
		snprintf(buf, len, "T%u", object);
		return;
	}
	if (op == WEFT_OP_CHOSEN) {
		snprintf(buf, len, "= %u", object);
		return;
	}
	if (object == 0) {
		buf[0] = '\0';
		return;
	}
	if (object >= snap->nobjects || object >= WEFT_MAX_OBJECTS) {
		snprintf(buf, len, "object#%u", object);
		return;
	}
	const struct weft_object_info *o = &snap->objects[object];
	if (o->kind == WEFT_OBJECT_FUNCTION) { /* the operation already names it */
		buf[0] = '\0';
		return;
	}
	char name[128];
	if (sym && weft_symbolize_data(sym, o->addr, name, sizeof name))
		snprintf(buf, len, "%s#%u (%s)", kind_name(o->kind), object, name);
	else
		snprintf(buf, len, "%s#%u", kind_name(o->kind), object);
}

int weft_lock_owner(const struct weft_shm *snap, uint32_t object)
{
	for (uint32_t t = 0; t < snap->nthreads && t < WEFT_MAX_THREADS; t++) {
		/* A thread that exited holding a lock still owns it. */
		const struct weft_thread_state *s = &snap->threads[t];
		uint32_t n = s->nheld < WEFT_MAX_HELD ? s->nheld : WEFT_MAX_HELD;
		for (uint32_t i = 0; i < n; i++)
			if (s->held[i] == object)
				return (int)t;
	}
	return -1;
}

void weft_describe_pending(const struct weft_shm *snap, struct weft_symbolizer *sym,
                           uint32_t thread, char *buf, size_t len)
{
	const struct weft_thread_state *s = &snap->threads[thread];
	char object[192];
	weft_describe_object(snap, sym, s->op, s->object, object, sizeof object);
	char op[WEFT_WRAP_NAME_LEN + 16];
	weft_describe_op(snap, s->op, s->func, op, sizeof op);
	/* "pthread_cond_wait (wake-up)" reads "pthread_cond_wait(cond#2) (wake-up)",
	 * but a thread blocked there has not woken up: it waits (for a signal,
	 * or for the mutex it re-acquires, or for the rest of a barrier). */
	char *suffix = strstr(op, " (");
	if (suffix && s->status == WEFT_THREAD_BLOCKED && strcmp(suffix, " (wake-up)") == 0) {
		*suffix = '\0';
		snprintf(buf, len, "%s(%s) (%s)", op, object,
		         s->op == WEFT_OP_BARRIER_WAKE ? "waiting for the others" : "waiting");
	} else if (suffix) {
		*suffix = '\0';
		snprintf(buf, len, "%s(%s) (%s", op, object, suffix + 2);
	} else {
		snprintf(buf, len, "%s(%s)", op, object);
	}
}

int weft_waits_for(const struct weft_shm *snap, uint32_t thread)
{
	const struct weft_thread_state *s = &snap->threads[thread];
	switch (s->op) {
	case WEFT_OP_MUTEX_LOCK:
	case WEFT_OP_USER_LOCK:
	case WEFT_OP_COND_RELOCK:
		return weft_lock_owner(snap, s->object);
	case WEFT_OP_JOIN:
		return (int)s->object;
	default:
		return -1;
	}
}

void weft_describe_op(const struct weft_shm *snap, unsigned op, uint32_t func, char *buf,
                      size_t len)
{
	extern const char *weft_op_name(unsigned op);
	if (func == 0 || func > snap->nwrapped || func > WEFT_MAX_WRAPPED)
		snprintf(buf, len, "%s", weft_op_name(op));
	else
		snprintf(buf, len, "%.*s%s", WEFT_WRAP_NAME_LEN, snap->wrapped[func - 1].name,
		         op == WEFT_OP_CALL_RETURN ? " (return)" : "");
}
