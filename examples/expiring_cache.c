/* A cache whose entries expire a fixed time after they are stored, with a
 * janitor thread that wakes every 10 s to drop expired entries. The test
 * checks expiry with real sleeps: a hit 1 s before the deadline, a miss
 * exactly at it. Natively it takes 70 s and asserting a hit at 29 s of a
 * 30 s lifetime is a gamble on the scheduler; under weft the sleeps are
 * virtual, so it takes milliseconds and every run sees the same times.
 *
 * What weft finds: nothing, over a complete exploration.
 * Count: main = L U (put), C, Z29, L U (get: hit), Z1, L U (get: miss),
 * Z31, L U (stop), J, X; janitor = S, then every 10 s Z L U (evict).
 * Sleeping threads wake in deadline order and run alone, except at 30 s,
 * where main's Z1 and the janitor's third Z fall together: main's
 * {Z L U} and the janitor's {Z L U} interleave with the two sections
 * apart: the janitor's Z goes in any of 4 places before main's section
 * ends, or main's Z in any of 4 before the janitor's ends: 8. At 61 s
 * main sets `stop`; the janitor sees it at 70 s and ends; J X.
 * 8 executions.
 *
 * weft-expect: ok 8
 */
#include <assert.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CACHE_SIZE 4
#define NS_PER_SEC 1000000000ll

struct entry {
	char key[16];
	int value;
	long long expires_at; /* CLOCK_MONOTONIC, ns; 0 = empty slot */
};

static struct {
	pthread_mutex_t lock;
	struct entry entries[CACHE_SIZE];
	int stop;
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

static void cache_put(const char *key, int value, int ttl_seconds)
{
	pthread_mutex_lock(&cache.lock);
	struct entry *slot = &cache.entries[0];
	for (int i = 0; i < CACHE_SIZE; i++)
		if (cache.entries[i].expires_at == 0 || strcmp(cache.entries[i].key, key) == 0) {
			slot = &cache.entries[i];
			break;
		}
	strncpy(slot->key, key, sizeof slot->key - 1);
	slot->value = value;
	slot->expires_at = now_ns() + ttl_seconds * NS_PER_SEC;
	pthread_mutex_unlock(&cache.lock);
}

/* 1 and the value when key is there and has not expired. */
static int cache_get(const char *key, int *value)
{
	int hit = 0;
	pthread_mutex_lock(&cache.lock);
	for (int i = 0; i < CACHE_SIZE; i++) {
		struct entry *e = &cache.entries[i];
		if (e->expires_at > now_ns() && strcmp(e->key, key) == 0) {
			*value = e->value;
			hit = 1;
		}
	}
	pthread_mutex_unlock(&cache.lock);
	return hit;
}

static void *janitor(void *arg)
{
	(void)arg;
	for (;;) {
		sleep(10);
		pthread_mutex_lock(&cache.lock);
		for (int i = 0; i < CACHE_SIZE; i++)
			if (cache.entries[i].expires_at != 0 &&
			    cache.entries[i].expires_at <= now_ns())
				memset(&cache.entries[i], 0, sizeof cache.entries[i]);
		int stop = cache.stop;
		pthread_mutex_unlock(&cache.lock);
		if (stop)
			return NULL;
	}
}

int main(void)
{
	int value = 0;
	cache_put("session", 7, 30);
	pthread_t t;
	pthread_create(&t, NULL, janitor, NULL);

	sleep(29);
	assert(cache_get("session", &value) && value == 7);
	sleep(1);
	assert(!cache_get("session", &value));

	sleep(31);
	pthread_mutex_lock(&cache.lock);
	cache.stop = 1;
	pthread_mutex_unlock(&cache.lock);
	pthread_join(t, NULL);
	return 0;
}
