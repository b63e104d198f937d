/* A lost wake-up: the signal comes before the wait.
 *
 * Scenario: a worker must not start before the configuration is loaded. It
 * takes `ready_lock`, checks the `ready` flag with `if` and, if the flag is
 * not set, waits on `ready_cond`. main loads the configuration (under the
 * configuration's own lock), then sets the flag and signals, without taking
 * `ready_lock` ("the flag is atomic, the lock is only for the wait"). If
 * main sets the flag and signals after the worker has checked the flag but
 * before it has started waiting, the signal finds nobody to wake and is
 * lost; the worker then waits for a signal that already came.
 *
 * What weft finds: a deadlock. The worker waits in pthread_cond_wait, main
 * waits in pthread_join for the worker, and nothing can wake either. (Had
 * main not joined the worker, the same interleaving would be a leak.)
 *
 * Why a plain run almost never shows it: the window between the worker's
 * check and its wait is a few instructions, and main's signal has to land
 * exactly there; usually the worker is long asleep, or has not started yet
 * and then sees the flag set. When it does happen, the program hangs.
 * Natively: 1000 of 1000 runs pass, measured twice on a 2-CPU machine with
 *   for i in $(seq 1000); do timeout 5 build/examples/lost_wakeup >/dev/null 2>&1 ||
 *   echo FAIL; done | grep -c FAIL
 * which printed 0.
 *
 * The fix (lost_wakeup_fixed.c): set the flag and signal while holding
 * `ready_lock`, and wait in a `while` loop that re-checks the flag.
 *
 * weft-expect: bug deadlock
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct config {
	int workers;
	int verbose;
};

static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER; /* guards config */
static struct config config;

static pthread_mutex_t ready_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cond = PTHREAD_COND_INITIALIZER;
static atomic_int ready;

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
	if (!atomic_load(&ready)) /* wrong: `if`, and the flag may be set right after */
		pthread_cond_wait(&ready_cond, &ready_lock);
	pthread_mutex_unlock(&ready_lock);
	return (void *)(long)config.workers;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	load_config("workers=4\nverbose=1\n");
	atomic_store(&ready, 1);
	pthread_cond_signal(&ready_cond); /* wrong: without ready_lock */
	void *workers;
	pthread_join(t, &workers);
	return (long)workers == 4 ? 0 : 1;
}
