/* Unit test of examples/barrier_wrong_size.c with weft_check.
 * Self-checking: exits 0 when the buggy variant is found (a "deadlock":
 * the barrier counts main, which never waits on it, so no phase ends) and
 * the fixed one (a barrier of WORKERS) passes over a complete exploration.
 * weft_assert checks the barrier's promise: after it, each worker sees the
 * other's result of the phase. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <string.h>

#include "unit_expect.h"

#define WORKERS 2
#define PHASES 2

static pthread_barrier_t phase_done;
static int partial[WORKERS][PHASES];
static int fixed;

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	for (int phase = 0; phase < PHASES; phase++) {
		partial[id][phase] = 1 + id + phase;
		pthread_barrier_wait(&phase_done);
		int other = 1 - id;
		weft_assert(partial[other][phase] == 1 + other + phase,
		            "worker %d, phase %d: the other's result is missing", id, phase);
	}
	return NULL;
}

static void scenario(void *arg)
{
	(void)arg;
	memset(partial, 0, sizeof partial);
	/* the buggy count includes main, which does not take part */
	pthread_barrier_init(&phase_done, NULL, fixed ? WORKERS : WORKERS + 1);
	pthread_t t[WORKERS];
	for (long i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&phase_done);
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
	int ok = expect_check(buggy, "barrier_wrong_size", "deadlock");
	ok &= expect_check(fixed_version, "barrier_wrong_size_fixed", NULL);
	return ok ? 0 : 1;
}
