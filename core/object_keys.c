/* Stable object numbers for the strategies (object_keys.h): a hash table,
 * kept for the whole exploration, from an object's key to the number the
 * strategies see. Keys are (module, offset) for objects in a module's
 * static storage and (runtime number) for the others, tagged apart; the
 * numbers handed out are dense from 1, as the runtime's are. */
#include "object_keys.h"

#include <stdlib.h>
#include <string.h>

struct slot {
	uint64_t key; /* 0 = empty */
	uint32_t id;
};

struct weft_object_keys {
	struct slot *slots;
	uint32_t size, used, next_id;
	uint32_t *by_runtime_id; /* this execution: runtime number -> stable number */
	uint32_t cap;
	struct weft_event *events; /* the renamed copies */
	uint32_t events_cap;
	struct weft_thread_state threads[WEFT_MAX_THREADS];
};

struct weft_object_keys *weft_object_keys_new(void)
{
	struct weft_object_keys *k = calloc(1, sizeof *k);
	if (k)
		k->next_id = 1;
	return k;
}

void weft_object_keys_free(struct weft_object_keys *k)
{
	if (!k)
		return;
	free(k->slots);
	free(k->by_runtime_id);
	free(k->events);
	free(k);
}

static uint32_t slot_of(const struct weft_object_keys *k, uint64_t key)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & (k->size - 1);
}

static bool grow(struct weft_object_keys *k)
{
	uint32_t size = k->size ? 2 * k->size : 1024;
	struct slot *old = k->slots, *slots = calloc(size, sizeof *slots);
	if (!slots)
		return false;
	uint32_t old_size = k->size;
	k->slots = slots;
	k->size = size;
	for (uint32_t i = 0; i < old_size; i++) {
		if (!old[i].key)
			continue;
		uint32_t j = slot_of(k, old[i].key);
		while (slots[j].key)
			j = (j + 1) & (size - 1);
		slots[j] = old[i];
	}
	free(old);
	return true;
}

/* The stable number of a key, 0 when out of memory. */
static uint32_t lookup(struct weft_object_keys *k, uint64_t key)
{
	if (2 * (k->used + 1) > k->size && !grow(k))
		return 0;
	uint32_t i = slot_of(k, key);
	for (; k->slots[i].key; i = (i + 1) & (k->size - 1))
		if (k->slots[i].key == key)
			return k->slots[i].id;
	k->slots[i] = (struct slot){key, k->next_id++};
	k->used++;
	return k->slots[i].id;
}

static uint64_t key_of(const struct weft_shm *shm, uint32_t id)
{
	/* An object created where another was destroyed or initialised again
	 * is that object to the strategies (protocol.h). Each names an older
	 * one, so the walk ends. */
	while (id < shm->nobjects && id < WEFT_MAX_OBJECTS && shm->objects[id].previous &&
	       shm->objects[id].previous < id)
		id = shm->objects[id].previous;
	if (id < shm->nobjects && id < WEFT_MAX_OBJECTS) {
		const struct weft_object_info *o = &shm->objects[id];
		if (o->module < shm->nmodules && o->module < WEFT_MAX_MODULES) {
			uint64_t offset = o->addr - shm->modules[o->module].start;
			return 1ull << 63 | (uint64_t)o->module << 48 |
			       (offset & ((1ull << 48) - 1));
		}
	}
	return 1ull << 62 | id;
}

static uint32_t rename_one(struct weft_object_keys *k, const struct weft_shm *shm, uint32_t id)
{
	if (!id || id >= k->cap)
		return id;
	if (!k->by_runtime_id[id])
		k->by_runtime_id[id] = lookup(k, key_of(shm, id));
	return k->by_runtime_id[id] ? k->by_runtime_id[id] : id;
}

/* Whether an operation's object is an object (not a thread or a value). */
static bool names_object(const struct weft_event *e)
{
	return !(e->flags & WEFT_EVENT_VALUE) && e->op != WEFT_OP_CREATE && e->op != WEFT_OP_JOIN &&
	       e->op != WEFT_OP_DETACH && e->op != WEFT_OP_CHOSEN && e->op != WEFT_OP_CANCEL;
}

void weft_object_keys_trace(struct weft_object_keys *k, const struct weft_shm *shm,
                            struct weft_trace *trace)
{
	const struct weft_event *in = trace->events;
	uint32_t n = trace->nevents;
	if (!k || !trace->threads)
		return;
	if (n > k->events_cap) {
		struct weft_event *events = realloc(k->events, n * sizeof *events);
		if (!events)
			return;
		k->events = events;
		k->events_cap = n;
	}
	uint32_t cap = shm->nobjects + 1;
	for (uint32_t i = 0; i < n; i++) {
		if (in[i].object >= cap)
			cap = in[i].object + 1;
		if (in[i].object2 >= cap)
			cap = in[i].object2 + 1;
	}
	for (uint32_t t = 0; t < WEFT_MAX_THREADS; t++)
		if (shm->threads[t].object >= cap)
			cap = shm->threads[t].object + 1;
	if (cap > k->cap) {
		uint32_t *map = realloc(k->by_runtime_id, cap * sizeof *map);
		if (!map)
			return;
		k->by_runtime_id = map;
		k->cap = cap;
	}
	struct weft_event *events = k->events;
	struct weft_thread_state *threads = k->threads;
	memcpy(events, in, n * sizeof *events);
	memcpy(threads, shm->threads, sizeof shm->threads);
	memset(k->by_runtime_id, 0, k->cap * sizeof *k->by_runtime_id);
	for (uint32_t i = 0; i < n; i++) {
		if (names_object(&events[i]))
			events[i].object = rename_one(k, shm, events[i].object);
		events[i].object2 = rename_one(k, shm, events[i].object2);
	}
	for (uint32_t t = 0; t < WEFT_MAX_THREADS; t++) {
		struct weft_event pending = {.op = threads[t].op, .object = threads[t].object};
		if (names_object(&pending))
			threads[t].object = rename_one(k, shm, threads[t].object);
	}
	trace->events = events;
	trace->threads = threads;
}
