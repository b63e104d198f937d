/* Named semaphores (sem_open, sem_close, sem_unlink), modelled inside the
 * process: the names live in a table of weft's, never in /dev/shm, so every
 * execution starts with no name (a name left behind by an execution that
 * stopped at a bug cannot make the next one's sem_open fail) and nothing
 * outside the program sees them.
 *
 * A name refers to one semaphore from the sem_open that creates it until
 * sem_unlink; opening it again returns the same address while it is open,
 * as POSIX says. The semaphore ends at the last sem_close after its unlink
 * (or at the unlink after its last close): its model ends there, and a new
 * semaphore under the same name is a new object whose value starts from
 * its own sem_open. Each call is a scheduling point on the name (an object
 * of its own), so two threads that open, close or unlink one name are
 * explored in both orders. Process-shared use across fork is not modelled:
 * a forked child that uses a named semaphore of its parent sees weft's
 * memory, not a shared mapping. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>

#include "hooks.h"
#include "model_sem.h"

#define CALLER WEFT_CALLER

struct named_sem {
	sem_t sem;      /* first: a sem_t * handed to the program is the record */
	uint32_t opens; /* sem_open calls not yet matched by a sem_close */
	bool linked;    /* its name still refers to it */
	struct sem_name *name;
	struct named_sem *next_all;
};

struct sem_name {
	char text[NAME_MAX + 1];   /* without the leading slashes */
	struct named_sem *current; /* the semaphore the name refers to, or NULL */
	struct sem_name *next;
};

static struct sem_name *names;
static struct named_sem *all;

/* glibc's rules: leading slashes are skipped; the rest must be non-empty,
 * shorter than NAME_MAX and hold no slash. */
static const char *name_text(const char *name)
{
	while (*name == '/')
		name++;
	size_t len = strnlen(name, NAME_MAX);
	if (len == 0 || len >= NAME_MAX || memchr(name, '/', len))
		return NULL;
	return name;
}

static struct sem_name *name_record(const char *text)
{
	for (struct sem_name *n = names; n; n = n->next)
		if (strcmp(n->text, text) == 0)
			return n;
	struct sem_name *n = weft__pool_alloc(sizeof *n);
	strcpy(n->text, text);
	n->next = names;
	names = n;
	return n;
}

static struct named_sem *named_of(const sem_t *s)
{
	for (struct named_sem *m = all; m; m = m->next_all)
		if (&m->sem == s)
			return m;
	return NULL;
}

static struct weft_object *name_object(struct sem_name *n)
{
	return weft__object_get(n, WEFT_OBJECT_SEM_NAME);
}

/* Neither opened nor named any more: the semaphore is gone. */
static void end_if_unused(struct named_sem *m, const char *what)
{
	if (m->opens || m->linked)
		return;
	struct weft_object *o = weft__object_find(&m->sem);
	if (o) {
		weft__sem_check_unused(o, what);
		weft__object_forget(&m->sem);
	}
}

static sem_t *fail_with(int error)
{
	errno = error;
	return SEM_FAILED;
}

sem_t *sem_open(const char *name, int oflag, ...)
{
	mode_t mode = 0;
	unsigned value = 0;
	if (oflag & O_CREAT) {
		va_list ap;
		va_start(ap, oflag);
		mode = va_arg(ap, mode_t);
		value = va_arg(ap, unsigned);
		va_end(ap);
	}
	if (!weft__controlled())
		return weft__real.sem_open(name, oflag, mode, value);
	const char *text = name_text(name);
	if (!text)
		return fail_with(EINVAL);
	struct sem_name *n = name_record(text);
	weft__sched_point(WEFT_OP_SEM_OPEN, name_object(n), CALLER);
	struct named_sem *m = n->current;
	if (m) {
		if ((oflag & O_CREAT) && (oflag & O_EXCL))
			return fail_with(EEXIST);
		m->opens++;
		return &m->sem;
	}
	if (!(oflag & O_CREAT))
		return fail_with(ENOENT);
	if (value > SEM_VALUE_MAX)
		return fail_with(EINVAL);
	/* Fresh memory: a new semaphore is a new object, whatever came before. */
	m = weft__pool_alloc(sizeof *m);
	weft__real.sem_init(&m->sem, 1, value);
	m->opens = 1;
	m->linked = true;
	m->name = n;
	m->next_all = all;
	all = m;
	n->current = m;
	/* Named semaphores are there to be shared with other processes. */
	weft__pshared_flag(1, "a named semaphore");
	return &m->sem;
}

int sem_close(sem_t *s)
{
	if (!weft__controlled())
		return weft__real.sem_close(s);
	struct named_sem *m = named_of(s);
	/* One opened before weft took control is a real one. */
	if (!m)
		return weft__real.sem_close(s);
	if (m->opens == 0) {
		errno = EINVAL;
		return -1;
	}
	weft__sched_point(WEFT_OP_SEM_CLOSE, name_object(m->name), CALLER);
	m->opens--;
	end_if_unused(m, "closes the last reference to");
	return 0;
}

int sem_unlink(const char *name)
{
	if (!weft__controlled())
		return weft__real.sem_unlink(name);
	const char *text = name_text(name);
	if (!text) {
		errno = ENOENT;
		return -1;
	}
	struct sem_name *n = name_record(text);
	weft__sched_point(WEFT_OP_SEM_UNLINK, name_object(n), CALLER);
	struct named_sem *m = n->current;
	if (!m) {
		errno = ENOENT;
		return -1;
	}
	n->current = NULL;
	m->linked = false;
	end_if_unused(m, "unlinks the last reference to");
	return 0;
}
