/* The explorer's distrust of the exchange region. The execution maps the
 * region read-write, so a program that writes into it (by mistake or on
 * purpose) could otherwise crash the explorer, make it loop, or make it
 * believe a schedule that never ran. Before each execution the guard keeps
 * a private copy of what the explorer wrote (the header and the plan);
 * after it, once no process of the execution runs any more, it checks:
 *   - the explorer's part and the plan are unchanged (restored if not);
 *   - every count, index and length the reports and strategies read is in
 *     range, every string is terminated, object chains go backwards;
 *   - the trace is one the runtime can have written: each thread's events
 *     come after its creation, the thread that ran was enabled;
 *   - the choices the plan forced are the ones the trace shows, and a run
 *     that claims a clean exit reached every planned choice.
 * A record that cannot be right is an error naming it; a trace that does
 * not follow the plan is a divergence. It does not judge bugs. */
#define _GNU_SOURCE
#include "exchange_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"

/* The runtime numbers objects in order of first use, and an object is
 * first used by a call that is a scheduling point (a recorded step, or a
 * thread's pending call at the end): an execution of n steps names fewer
 * than this many objects. The strategies size tables by the largest id. */
static uint32_t object_id_limit(uint32_t nsteps)
{
	return WEFT_MAX_OBJECTS + 2 * nsteps + 2 * WEFT_MAX_THREADS;
}

struct weft_exchange_guard {
	unsigned char header[offsetof(struct weft_shm, loaded)];
	size_t header_len; /* what the explorer uses of it: the wrapped functions it names */
	struct weft_choice *plan;
	uint32_t plan_len, cap;
};

struct weft_exchange_guard *weft_exchange_guard_new(uint32_t max_steps)
{
	struct weft_exchange_guard *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->cap = max_steps;
	g->plan = malloc((max_steps ? max_steps : 1) * sizeof *g->plan);
	if (!g->plan) {
		free(g);
		return NULL;
	}
	return g;
}

void weft_exchange_guard_free(struct weft_exchange_guard *g)
{
	if (g)
		free(g->plan);
	free(g);
}

/* The explorer's part up to the last function it wraps: the table's
 * unused entries (most of the part) are read by nobody, so neither copied
 * nor compared at every execution. */
static size_t header_used(const struct weft_shm *shm)
{
	uint32_t n = shm->nwrapped < WEFT_MAX_WRAPPED ? shm->nwrapped : WEFT_MAX_WRAPPED;
	return offsetof(struct weft_shm, wrapped) + n * sizeof shm->wrapped[0];
}

void weft_exchange_guard_arm(struct weft_exchange_guard *g, const struct weft_shm *shm)
{
	g->header_len = header_used(shm);
	memcpy(g->header, shm, g->header_len);
	g->plan_len = shm->plan_len <= g->cap ? shm->plan_len : g->cap;
	memcpy(g->plan, weft_shm_plan((struct weft_shm *)shm), g->plan_len * sizeof *g->plan);
}

static bool corrupt(struct weft_verdict_info *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool corrupt(struct weft_verdict_info *v, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	memset(v, 0, sizeof *v);
	v->error = true;
	snprintf(v->message, sizeof v->message,
	         "the exchange region holds a record that cannot be right (%s): the program, or "
	         "a process it started, wrote into weft's shared memory, or corrupted memory; "
	         "weft cannot trust this execution",
	         what);
	return false;
}

static bool diverged(struct weft_verdict_info *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool diverged(struct weft_verdict_info *v, const char *fmt, ...)
{
	memset(v, 0, sizeof *v);
	v->kind = WEFT_BUG_DIVERGED;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->message, sizeof v->message, fmt, ap);
	va_end(ap);
	return false;
}

/* The name of the first field of the explorer's part (its first len
 * bytes) that differs. */
static const char *changed_field(const unsigned char *was, size_t len, const struct weft_shm *shm)
{
	static const struct {
		size_t offset;
		const char *name;
	} fields[] = {
	    {offsetof(struct weft_shm, magic), "magic"},
	    {offsetof(struct weft_shm, version), "version"},
	    {offsetof(struct weft_shm, size), "size"},
	    {offsetof(struct weft_shm, max_steps), "max_steps"},
	    {offsetof(struct weft_shm, plan_len), "plan_len"},
	    {offsetof(struct weft_shm, options), "options"},
	    {offsetof(struct weft_shm, spurious_wakeups), "spurious_wakeups"},
	    {offsetof(struct weft_shm, seed), "seed"},
	    {offsetof(struct weft_shm, policy), "policy"},
	    {offsetof(struct weft_shm, pct_depth), "pct_depth"},
	    {offsetof(struct weft_shm, time_start_ns), "time_start_ns"},
	    {offsetof(struct weft_shm, nwrapped), "nwrapped"},
	    {offsetof(struct weft_shm, wrapped), "wrapped"},
	};
	const unsigned char *now = (const unsigned char *)shm;
	size_t n = sizeof fields / sizeof fields[0];
	for (size_t i = 0; i < n; i++) {
		size_t end = i + 1 < n ? fields[i + 1].offset : len;
		if (end > fields[i].offset &&
		    memcmp(was + fields[i].offset, now + fields[i].offset, end - fields[i].offset))
			return fields[i].name;
	}
	return NULL;
}

static void terminate(char *s, size_t len)
{
	s[len - 1] = '\0';
}

static bool check_tables(const struct weft_shm *shm, const struct weft_run_outcome *out,
                         struct weft_verdict_info *v)
{
	if (shm->nthreads > WEFT_MAX_THREADS)
		return corrupt(v, "nthreads = %u, more than %u", shm->nthreads, WEFT_MAX_THREADS);
	if (shm->nmodules > WEFT_MAX_MODULES)
		return corrupt(v, "nmodules = %u, more than %u", shm->nmodules, WEFT_MAX_MODULES);
	if (shm->bug >= WEFT_BUG_COUNT)
		return corrupt(v, "bug kind %u", shm->bug);
	/* The runtime ends an execution it judged itself with one exit status,
	 * right after writing its verdict. */
	bool judged = shm->bug || shm->unsupported || shm->config_error;
	if (judged && !out->hang && (out->signaled || out->exit_status != WEFT_RUNTIME_EXIT_STATUS))
		return corrupt(v, "a verdict of the runtime in an execution that ended %s %d",
		               out->signaled ? "by signal" : "with status",
		               out->signaled ? out->signal : out->exit_status);
	if (shm->claimed_pid && shm->nthreads == 0)
		return corrupt(v, "a claimed execution with no thread");
	if (shm->nthreads && shm->current >= shm->nthreads)
		return corrupt(v, "current thread %u of %u", shm->current, shm->nthreads);
	for (uint32_t t = 0; t < shm->nthreads; t++) {
		const struct weft_thread_state *s = &shm->threads[t];
		if (s->status > WEFT_THREAD_EXITED || s->op >= WEFT_OP_COUNT)
			return corrupt(v, "thread %u has status %u and operation %u", t, s->status,
			               s->op);
		if (t > 0 && s->creator >= t)
			return corrupt(v, "thread %u created by thread %u", t, s->creator);
		uint32_t n = shm->nsteps < shm->max_steps ? shm->nsteps : shm->max_steps;
		if (s->object >= object_id_limit(n))
			return corrupt(v, "thread %u waits on object %u", t, s->object);
		if (s->func > shm->nwrapped)
			return corrupt(v, "thread %u calls wrapped function %u of %u", t, s->func,
			               shm->nwrapped);
	}
	uint32_t nobjects = shm->nobjects < WEFT_MAX_OBJECTS ? shm->nobjects : WEFT_MAX_OBJECTS;
	for (uint32_t i = 0; i < nobjects; i++) {
		const struct weft_object_info *o = &shm->objects[i];
		if (o->kind >= WEFT_OBJECT_KINDS || o->previous >= (i ? i : 1))
			return corrupt(v, "object %u has kind %u and previous object %u", i,
			               o->kind, o->previous);
		if (o->module != UINT32_MAX && o->module >= shm->nmodules)
			return corrupt(v, "object %u in module %u of %u", i, o->module,
			               shm->nmodules);
	}
	const struct weft_race *r = &shm->race;
	for (int i = 0; r->found && i < 2; i++)
		if (r->access[i].nframes > WEFT_RACE_FRAMES || r->access[i].thread >= shm->nthreads)
			return corrupt(v, "race access %d has %u frames in thread %u", i,
			               r->access[i].nframes, r->access[i].thread);
	return true;
}

static bool check_events(const struct weft_shm *shm, struct weft_verdict_info *v)
{
	const struct weft_event *ev = weft_shm_events((struct weft_shm *)shm);
	uint32_t n = shm->nsteps < shm->max_steps ? shm->nsteps : shm->max_steps;
	uint64_t all = shm->nthreads >= 64 ? ~0ull : (1ull << shm->nthreads) - 1;
	uint64_t created = 1; /* main */
	uint32_t limit = object_id_limit(n);
	for (uint32_t i = 0; i < n; i++) {
		const struct weft_event *e = &ev[i];
		if (e->thread >= shm->nthreads || e->op >= WEFT_OP_COUNT)
			return corrupt(v, "step %u: thread %u of %u, operation %u", i, e->thread,
			               shm->nthreads, e->op);
		if (!(created & (1ull << e->thread)))
			return corrupt(v, "step %u: thread %u runs before it is created", i,
			               e->thread);
		if (e->object >= limit || e->object2 >= limit || e->func > shm->nwrapped)
			return corrupt(v, "step %u: object %u, second object %u, function %u", i,
			               e->object, e->object2, e->func);
		if (e->flags & WEFT_EVENT_VALUE) {
			if (e->object >= 64 || !(e->enabled & (1ull << e->object)))
				return corrupt(v, "step %u: value %u was not possible", i,
				               e->object);
		} else if (e->enabled & ~all) {
			return corrupt(v, "step %u: enabled threads %#llx of %u", i,
			               (unsigned long long)e->enabled, shm->nthreads);
		} else if ((e->flags & WEFT_EVENT_CHOICE) && !(e->enabled & (1ull << e->thread))) {
			return corrupt(v,
			               "step %u: thread %u ran at a choice without being enabled",
			               i, e->thread);
		}
		if (e->op == WEFT_OP_CREATE) {
			/* A create past weft's own thread limit ends the execution
			 * with the runtime's error (limits.c) before its thread. */
			if (e->object >= shm->nthreads && !(shm->config_error && i + 1 == n))
				return corrupt(v, "step %u creates thread %u of %u", i, e->object,
				               shm->nthreads);
			created |= 1ull << e->object;
		}
	}
	/* Every thread in the table was created at a step of the trace (unless
	 * the trace is cut at max_steps). */
	if (shm->nsteps <= shm->max_steps && (created & all) != all)
		return corrupt(v, "%u threads but a trace of %u steps that creates %d of them",
		               shm->nthreads, n, __builtin_popcountll(created & all));
	return true;
}

/* The plan's choices against the trace: the runtime followed them unless
 * it said otherwise (a bug it judged, divergence included). */
static bool check_plan(const struct weft_exchange_guard *g, const struct weft_shm *shm,
                       const struct weft_run_outcome *out, struct weft_verdict_info *v)
{
	if (shm->bug || out->hang || !shm->claimed_pid)
		return true;
	const struct weft_event *ev = weft_shm_events((struct weft_shm *)shm);
	uint32_t n = shm->nsteps < shm->max_steps ? shm->nsteps : shm->max_steps;
	/* An advisory plan (WEFT_OPT_PLAN_ADVISORY) is followed up to where the
	 * program first leaves it; the policy chooses from there on. */
	bool advisory = (shm->options & WEFT_OPT_PLAN_ADVISORY) != 0;
	for (uint32_t k = 0; k < g->plan_len; k++) {
		const struct weft_choice *c = &g->plan[k];
		if (c->step >= n) {
			if (advisory)
				return true;
			if (shm->exited && !out->signaled && out->exit_status == 0)
				return diverged(
				    v,
				    "the execution ended after %u steps, before the choice "
				    "planned at step %u: the program does something weft does "
				    "not control, or wrote into weft's exchange region",
				    n, c->step);
			return true;
		}
		const struct weft_event *e = &ev[c->step];
		if (!(e->flags & WEFT_EVENT_CHOICE) || weft_event_choice(e) != c->thread) {
			if (advisory)
				return true;
			return diverged(
			    v,
			    "step %u ran %s %u where the plan chose %u: the program does "
			    "something weft does not control, or wrote into weft's exchange "
			    "region",
			    c->step, (e->flags & WEFT_EVENT_VALUE) ? "value" : "thread",
			    weft_event_choice(e), c->thread);
		}
	}
	return true;
}

bool weft_exchange_guard_check(const struct weft_exchange_guard *g, struct weft_shm *shm,
                               const struct weft_run_outcome *out, struct weft_verdict_info *v)
{
	const char *field = changed_field(g->header, g->header_len, shm);
	if (field) {
		memcpy(shm, g->header, g->header_len); /* what later executions rely on */
		return corrupt(v, "the explorer's field %s was overwritten", field);
	}
	if (memcmp(weft_shm_plan(shm), g->plan, g->plan_len * sizeof *g->plan) != 0) {
		memcpy(weft_shm_plan(shm), g->plan, g->plan_len * sizeof *g->plan);
		return corrupt(v, "the plan was overwritten");
	}
	terminate(shm->message, sizeof shm->message);
	weft_text_sanitize(shm->message, false);
	for (uint32_t m = 0; m < WEFT_MAX_MODULES; m++)
		terminate(shm->modules[m].path, sizeof shm->modules[m].path);
	for (uint32_t w = 0; w < WEFT_MAX_WRAPPED; w++)
		terminate(shm->wrapped[w].name, sizeof shm->wrapped[w].name);
	return check_tables(shm, out, v) && check_events(shm, v) && check_plan(g, shm, out, v);
}
