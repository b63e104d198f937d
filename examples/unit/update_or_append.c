/* Unit test of examples/update_or_append.c (and its _fixed twin) with
 * weft_check. Self-checking: exits 0 when the buggy variant is found (an
 * "assertion" bug: two handlers both append "db") and the fixed one passes
 * over a complete exploration.
 *
 * Scenario: two handlers announce the same service; update-or-append must
 * leave exactly one entry. The buggy version looks up under one critical
 * section and appends under another; the fixed one does both under one. */
#include <pthread.h>
#include <string.h>

#include "unit_expect.h"

#define MAX_ENTRIES 8

struct entry {
	const char *name;
	int port;
};

static pthread_mutex_t registry_lock;
static struct entry registry[MAX_ENTRIES];
static int nentries;
static int fixed; /* which variant the scenario runs */

static void reset(void)
{
	registry_lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	memset(registry, 0, sizeof registry);
	nentries = 0;
}

static int find_locked(const char *name)
{
	for (int i = 0; i < nentries; i++)
		if (strcmp(registry[i].name, name) == 0)
			return i;
	return -1;
}

static void update_or_append(const char *name, int port)
{
	int i = -1;
	if (!fixed) { /* wrong: the lookup is a critical section of its own */
		pthread_mutex_lock(&registry_lock);
		i = find_locked(name);
		pthread_mutex_unlock(&registry_lock);
	}
	pthread_mutex_lock(&registry_lock);
	if (fixed)
		i = find_locked(name);
	if (i >= 0) {
		registry[i].port = port;
	} else if (nentries < MAX_ENTRIES) {
		registry[nentries].name = name;
		registry[nentries].port = port;
		nentries++;
	}
	pthread_mutex_unlock(&registry_lock);
}

static void *announce(void *arg)
{
	update_or_append("db", (int)(long)arg);
	return NULL;
}

static void scenario(void *arg)
{
	(void)arg;
	reset();
	pthread_t handlers[2];
	for (long i = 0; i < 2; i++)
		pthread_create(&handlers[i], NULL, announce, (void *)(5432 + i));
	for (int i = 0; i < 2; i++)
		pthread_join(handlers[i], NULL);
	int copies = 0;
	for (int i = 0; i < nentries; i++)
		copies += strcmp(registry[i].name, "db") == 0;
	weft_assert(copies == 1, "\"db\" registered %d times", copies);
}

static void buggy(void *arg)
{
	fixed = 0;
	scenario(arg);
}

static void fixed_version(void *arg)
{
	fixed = 1;
	scenario(arg);
}

int main(void)
{
	int ok = expect_check(buggy, "update_or_append", "assertion");
	ok &= expect_check(fixed_version, "update_or_append_fixed", NULL);
	return ok ? 0 : 1;
}
