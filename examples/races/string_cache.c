/* A string cache with expiry, shared by request handlers: Get and Put use
 * one table and no lock ("it is only a cache"). The test is the one that
 * question needed: two threads, one puts while the other gets. Built with
 * -fsanitize=thread and linked against libweft-tsan, weft reports the data
 * race in the first execution, with both accesses' source lines, whatever
 * the interleaving: happens-before does not depend on timing.
 *   weft run -- ./build/examples/races/string_cache
 * Fixed twin: string_cache_fixed.c.
 * weft-expect: bug data-race */
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
static int cache_get(struct string_cache *c, const char *key, char *out)
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

static void cache_put(struct string_cache *c, const char *key, const char *data)
{
	struct cache_item *item = &c->items[slot_of(key)];
	copy_text(item->key, key);
	copy_text(item->data, data);
	clock_gettime(CLOCK_MONOTONIC, &item->expire_at);
	item->expire_at.tv_sec += c->ttl_seconds;
	item->used = 1;
}

static struct string_cache cache = {.ttl_seconds = 60};

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
	return found && value[0] != 't';
}
