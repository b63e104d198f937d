/* Update-or-append done right: the twin of update_or_append.c.
 *
 * The lookup and the update or append happen in one critical section, so
 * no other handler can append the same name in between. Whichever handler
 * comes second updates the entry the first one appended.
 *
 * What weft finds: nothing, over a complete exploration.
 * Count: each handler locks and unlocks once, so the schedule has the shape
 * of tests/cases/count_mutex_counter_2.c: 151 executions (derived there).
 *
 * weft-expect: ok 151
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

/* The index of name in the registry, or -1. The caller holds the lock. */
static int registry_find_locked(const char *name)
{
	for (int i = 0; i < nentries; i++)
		if (strcmp(registry[i].name, name) == 0)
			return i;
	return -1;
}

static void registry_update_or_append(const char *name, int port)
{
	pthread_mutex_lock(&registry_lock);
	int i = registry_find_locked(name);
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
