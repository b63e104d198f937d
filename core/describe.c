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
	default:
		return "object";
	}
}

void weft_describe_object(const struct weft_shm *snap, struct weft_symbolizer *sym, unsigned op,
                          uint32_t object, char *buf, size_t len)
{
	if (op == WEFT_OP_CREATE || op == WEFT_OP_JOIN || op == WEFT_OP_DETACH) {
		snprintf(buf, len, "T%u", object);
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
	char name[128];
	if (sym && weft_symbolize_data(sym, o->addr, name, sizeof name))
		snprintf(buf, len, "%s#%u (%s)", kind_name(o->kind), object, name);
	else
		snprintf(buf, len, "%s#%u", kind_name(o->kind), object);
}

int weft_lock_owner(const struct weft_shm *snap, uint32_t object)
{
	for (uint32_t t = 0; t < snap->nthreads && t < WEFT_MAX_THREADS; t++) {
		const struct weft_thread_state *s = &snap->threads[t];
		if (s->status == WEFT_THREAD_EXITED)
			continue;
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
	extern const char *weft_op_name(unsigned op);
	snprintf(buf, len, "%s(%s)", weft_op_name(s->op), object);
}

int weft_waits_for(const struct weft_shm *snap, uint32_t thread)
{
	const struct weft_thread_state *s = &snap->threads[thread];
	switch (s->op) {
	case WEFT_OP_MUTEX_LOCK:
		return weft_lock_owner(snap, s->object);
	case WEFT_OP_JOIN:
		return (int)s->object;
	default:
		return -1;
	}
}
