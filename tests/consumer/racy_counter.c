/* An ordinary test program: two threads add to a counter, reading it under
 * the lock and writing it under the lock again (a lost update), unless
 * --fixed keeps both in one critical section. */
#include <assert.h>
#include <pthread.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int counter, fixed;

static void *add(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	int v = counter;
	if (!fixed) {
		pthread_mutex_unlock(&lock);
		pthread_mutex_lock(&lock);
	}
	counter = v + 1;
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(int argc, char **argv)
{
	fixed = argc > 1 && strcmp(argv[1], "--fixed") == 0;
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, add, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert(counter == 2);
	return 0;
}
