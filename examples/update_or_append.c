/* Update-or-append on a shared list that drops its lock between the lookup
 * and the append.
 *
 * Scenario: a registry of services (name -> port) shared by request
 * handlers. registry_update_or_append() looks the name up with
 * registry_find(), which takes the lock for the scan, and then takes the
 * lock again to update the entry it found or to append a new one. Two
 * handlers announce the same service ("db") at the same time: both look it
 * up, neither finds it, both append it. The registry now holds "db" twice,
 * and the test's assert (one entry per name) fails. This is the C shape of
 * a Go question ("Lock slice before reading and modifying it": an
 * UpdateOrAppend that iterates under one lock and appends under another).
 *
 * What weft finds: an assertion (the program aborts on `copies == 1`), in
 * the interleaving where the second handler's lookup falls between the
 * first handler's lookup and its append.
 *
 * Why a plain run almost never shows it: the window between the two
 * critical sections is a few instructions long, and announcements arrive
 * one after the other: by the time the second is received, the first
 * handler is long done. (Started back to back, with no receive() between,
 * the handlers do collide now and then: 966 of 1000 runs passed.)
 * Natively: 1000 of 1000 runs pass, measured twice on a 2-CPU machine with
 *   for i in $(seq 1000); do timeout 5 build/examples/update_or_append >/dev/null 2>&1 ||
 *   echo FAIL; done | grep -c FAIL
 * which printed 0.
 *
 * The fix (update_or_append_fixed.c): look up and append in one critical
 * section.
 *
 * weft-expect: bug assertion
 */
#include <assert.h>
#include <pthread.h>
#include <string.h>

#define MAX_ENTRIES 8

struct entry {
	const char *name;
	int port;
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry registry[MAX_ENTRIES];
static int nentries;

/* The index of name in the registry, or -1. */
static int registry_find(const char *name)
{
	int found = -1;
	pthread_mutex_lock(&registry_lock);
	for (int i = 0; i < nentries; i++)
		if (strcmp(registry[i].name, name) == 0)
			found = i;
	pthread_mutex_unlock(&registry_lock);
	return found;
}

static void registry_update_or_append(const char *name, int port)
{
	int i = registry_find(name);
	/* wrong: another thread may append `name` right here */
	pthread_mutex_lock(&registry_lock);
	if (i >= 0) {
		registry[i].port = port;
	} else if (nentries < MAX_ENTRIES) {
		registry[nentries].name = name;
		registry[nentries].port = port;
		nentries++;
	}
	pthread_mutex_unlock(&registry_lock);
}

/* Receiving an announcement over the network: checksumming its payload
 * stands for the parsing a real server does. It takes some tens of
 * microseconds and makes no synchronisation call (weft does not see it). */
static unsigned receive(int seed)
{
	unsigned h = 2166136261u;
	for (int i = 0; i < 50000; i++)
		h = (h ^ (unsigned)(seed + i)) * 16777619u;
	return h;
}

struct announcement {
	int port;
	unsigned checksum;
};

static void *announce(void *arg)
{
	struct announcement *a = arg;
	registry_update_or_append("db", a->port);
	return NULL;
}

int main(void)
{
	static struct announcement announcements[2];
	pthread_t handlers[2];
	/* The announcements arrive one after the other; each gets a handler. */
	for (int i = 0; i < 2; i++) {
		announcements[i].port = 5432 + i;
		announcements[i].checksum = receive(i);
		pthread_create(&handlers[i], NULL, announce, &announcements[i]);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(handlers[i], NULL);
	int copies = 0;
	for (int i = 0; i < nentries; i++)
		copies += strcmp(registry[i].name, "db") == 0;
	assert(copies == 1);
	return 0;
}
