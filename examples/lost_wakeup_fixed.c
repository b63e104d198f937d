/* No lost wake-up: the twin of lost_wakeup.c.
 *
 * main sets the flag and signals while holding `ready_lock`, so the worker
 * is either before its check (and will see the flag) or already waiting
 * (and gets the signal); the worker re-checks the flag in a `while` loop.
 *
 * What weft finds: nothing, over a complete exploration.
 * Count: main = C, Lc Uc (config_lock), Lr G Ur (ready_lock, signal), J, X;
 * worker = S, Lr', then W K (wait, wake-up) only if the flag was not set,
 * Ur', E.
 *   the worker takes ready_lock first: the flag is not set, so S Lr' W all
 *     come before main's Lr and mix freely with Lc Uc: C(5,2) = 10; then
 *     main's Lr G Ur and the worker's K Ur' E are forced (the wake-up needs
 *     the lock, the join needs E): 10.
 *   main takes ready_lock first: the worker's S falls in one of the 6 gaps
 *     around Lc Uc Lr G Ur, and it locks only after Ur (sees the flag, does
 *     not wait): 6.
 * 10 + 6 = 16 executions.
 *
 * weft-expect: ok 16
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct config {
	int workers;
	int verbose;
};

static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER; /* guards config */
static struct config config;

static pthread_mutex_t ready_lock = PTHREAD_MUTEX_INITIALIZER; /* guards ready */
static pthread_cond_t ready_cond = PTHREAD_COND_INITIALIZER;
static int ready;

static void load_config(const char *text)
{
	pthread_mutex_lock(&config_lock);
	while (*text) {
		if (strncmp(text, "workers=", 8) == 0)
			config.workers = atoi(text + 8);
		else if (strncmp(text, "verbose=", 8) == 0)
			config.verbose = atoi(text + 8);
		text += strcspn(text, "\n");
		text += *text == '\n';
	}
	pthread_mutex_unlock(&config_lock);
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&ready_lock);
	while (!ready)
		pthread_cond_wait(&ready_cond, &ready_lock);
	pthread_mutex_unlock(&ready_lock);
	return (void *)(long)config.workers;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	load_config("workers=4\nverbose=1\n");
	pthread_mutex_lock(&ready_lock);
	ready = 1;
	pthread_cond_signal(&ready_cond);
	pthread_mutex_unlock(&ready_lock);
	void *workers;
	pthread_join(t, &workers);
	return (long)workers == 4 ? 0 : 1;
}
