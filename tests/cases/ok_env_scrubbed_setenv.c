/* When the runtime takes control of the process, weft's own variables
 * (its LD_PRELOAD entry, WEFT_SHM_FD, WEFT_FORKSERVER, WEFT_PARENT) leave
 * the environment, so that a program the test runs is plain; the other
 * variables stay, a variable weft does not own included.
 * The program sets a variable before its first modelled call, which moves
 * its environment to a new array, so each execution edits the environment
 * itself as it did before the fork server prepared it (children.c).
 *
 * Count: main = C, P0 (sem_wait), J, X; worker = S, V1 (sem_post), E1:
 * 2 executions, as t3_count_sem_handoff.c.
 *
 * weft-expect: ok 2
 * weft-expect-dpor: 1
 * weft-env: WEFT_TEST_ENV_KEPT=kept
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sem_t sem;

static void *worker(void *arg)
{
	(void)arg;
	sem_post(&sem);
	return NULL;
}

static void check(char **env)
{
	for (char **e = env; *e; e++)
		if (strncmp(*e, "WEFT_SHM_FD=", 12) == 0 ||
		    strncmp(*e, "WEFT_FORKSERVER=", 16) == 0 ||
		    strncmp(*e, "WEFT_PARENT=", 12) == 0 ||
		    (strncmp(*e, "LD_PRELOAD=", 11) == 0 && strstr(*e, "libweft")))
			abort();
	const char *kept = getenv("WEFT_TEST_ENV_KEPT");
	if (!kept || strcmp(kept, "kept") != 0)
		abort();
}

int main(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	setenv("WEFT_TEST_ENV_ADDED", "added", 1);
	sem_init(&sem, 0, 0); /* the runtime takes control here */
	(void)envp;
	check(environ);
	const char *added = getenv("WEFT_TEST_ENV_ADDED");
	if (!added || strcmp(added, "added") != 0)
		abort();
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	sem_wait(&sem);
	pthread_join(t, NULL);
	sem_destroy(&sem);
	return 0;
}
