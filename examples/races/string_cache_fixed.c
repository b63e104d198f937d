/* string_cache.c with the fix: a read-write lock around the table, read
 * for Get, write for Put. Every access of the table is ordered by the lock,
 * so weft explores every interleaving and finds no race.
 * weft-expect: ok 6 */
#include <assert.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#define SLOTS 8
#define TEXT 32

struct cache_item {
	int used;
	char key[TEXT], data[TEXT];
	struct timespec expire_at;
};

struct string_cache {
	pthread_rwlock_t lock;
	struct cache_item items[SLOTS];
	long ttl_seconds;
};

static unsigned slot_of(const char *key)
{
	unsigned h = 5381;
	for (const char *p = key; *p; p++)
		h = h * 33 + (unsigned char)*p;
	return h % SLOTS;
}

static int same_key(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static void copy_text(char *to, const char *from)
{
	size_t n = 0;
	while (from[n] && n + 1 < TEXT)
		n++;
	memcpy(to, from, n);
	to[n] = '\0';
}

/* The value of key, unless it is missing or expired. */
static int cache_get_locked(struct string_cache *c, const char *key, char *out)
{
	struct cache_item *item = &c->items[slot_of(key)];
	if (!item->used || !same_key(item->key, key))
		return 0;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec >= item->expire_at.tv_sec)
		return 0;
	copy_text(out, item->data);
	return 1;
}

static int cache_get(struct string_cache *c, const char *key, char *out)
{
	pthread_rwlock_rdlock(&c->lock);
	int found = cache_get_locked(c, key, out);
	pthread_rwlock_unlock(&c->lock);
	return found;
}

static void cache_put(struct string_cache *c, const char *key, const char *data)
{
	pthread_rwlock_wrlock(&c->lock);
	struct cache_item *item = &c->items[slot_of(key)];
	copy_text(item->key, key);
	copy_text(item->data, data);
	clock_gettime(CLOCK_MONOTONIC, &item->expire_at);
	item->expire_at.tv_sec += c->ttl_seconds;
	item->used = 1;
	pthread_rwlock_unlock(&c->lock);
}

static struct string_cache cache = {.lock = PTHREAD_RWLOCK_INITIALIZER, .ttl_seconds = 60};

static void *handler(void *arg)
{
	(void)arg;
	cache_put(&cache, "here", "this");
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, handler, NULL);
	char value[TEXT];
	int found = cache_get(&cache, "here", value);
	pthread_join(t, NULL);
	/* Either the put came first, or the get found nothing. */
	assert(!found || same_key(value, "this"));
	return 0;
}
