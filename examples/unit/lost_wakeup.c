/* Unit test of examples/lost_wakeup.c (and lost_wakeup_fixed.c) with
 * weft_check. Self-checking: exits 0 when the buggy variant is found (a
 * "deadlock": main signals without the lock between the worker's `if`
 * check and its wait, so the worker waits forever and main in join) and the
 * fixed one (flag set and signalled under the lock, `while` re-check)
 * passes over a complete exploration. The worker checks with weft_assert
 * that the configuration was loaded before it went on. */
#include <pthread.h>
#include <stdatomic.h>

#include "unit_expect.h"

static pthread_mutex_t config_lock, ready_lock;
static pthread_cond_t ready_cond;
static int workers_config;
static atomic_int ready;
static int fixed;

static void reset(void)
{
	config_lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	ready_lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	ready_cond = (pthread_cond_t)PTHREAD_COND_INITIALIZER;
	workers_config = 0;
	atomic_store(&ready, 0);
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&ready_lock);
	if (fixed) {
		while (!atomic_load(&ready))
			pthread_cond_wait(&ready_cond, &ready_lock);
	} else if (!atomic_load(&ready)) { /* wrong: `if`, flag set without the lock */
		pthread_cond_wait(&ready_cond, &ready_lock);
	}
	pthread_mutex_unlock(&ready_lock);
	pthread_mutex_lock(&config_lock);
	weft_assert(workers_config == 4, "worker started with workers=%d", workers_config);
	pthread_mutex_unlock(&config_lock);
	return NULL;
}

static void scenario(void *arg)
{
	(void)arg;
	reset();
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&config_lock);
	workers_config = 4;
	pthread_mutex_unlock(&config_lock);
	if (fixed)
		pthread_mutex_lock(&ready_lock);
	atomic_store(&ready, 1);
	pthread_cond_signal(&ready_cond);
	if (fixed)
		pthread_mutex_unlock(&ready_lock);
	pthread_join(t, NULL);
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
	int ok = expect_check(buggy, "lost_wakeup", "deadlock");
	ok &= expect_check(fixed_version, "lost_wakeup_fixed", NULL);
	return ok ? 0 : 1;
}
