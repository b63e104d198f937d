/* A weft_check unit test in a consumer project: two threads increment a
 * counter under a mutex; every interleaving must end with 2. */
#include <pthread.h>
#include <stdio.h>
#include <weft.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int counter;

static void *add(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	counter++;
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void scenario(void *arg)
{
	(void)arg;
	counter = 0;
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, add, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	weft_assert(counter == 2, "counter is %d", counter);
}

int main(void)
{
	struct weft_options options = WEFT_OPTIONS_INIT;
	options.name = "counter";
	struct weft_result_summary result;
	enum weft_check_verdict v = weft_check(scenario, NULL, &options, &result);
	printf("%llu executions, complete over the operations weft sees: %d\n", result.executions,
	       result.complete_seen);
	return v == WEFT_OK && result.complete_seen ? 0 : 1;
}
