/* A program that finds weft's exchange region (through /proc/self/maps)
 * and writes into it, to make weft say OK about its bug or to crash, hang
 * or fool the explorer. The bug: two workers increment a counter in two
 * locked halves (read, then write), so an interleaving loses an update and
 * the assertion fails. In the executions where the counter comes out right
 * the program attacks the region before it exits, as argv[1] says:
 *   garbage   random bytes over the whole region
 *   steps     the step count set to zero: a trace with no choice at all
 *   threads   an event that names a thread that does not exist
 *   counts    absurd table sizes (threads, modules)
 *   objects   an object chain that loops, and object ids near 2^32
 *   plan      the plan's choices rewritten
 *   header    max_steps, the capacity the explorer computes offsets with
 *   message   a forged verdict of the runtime, with escape sequences and
 *             invalid UTF-8 in its message
 *   output    no attack on the region: escape sequences and invalid UTF-8
 *             on stderr, then the assertion fails (a real bug, whose
 *             report must reach the terminal and the JSON file clean)
 * Under weft every attack must end as an error or a divergence, never OK
 * and never a crash or a hang of weft. */
#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/protocol.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int counter;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	int seen = counter;
	pthread_mutex_unlock(&m);
	pthread_mutex_lock(&m);
	counter = seen + 1;
	pthread_mutex_unlock(&m);
	return NULL;
}

static struct weft_shm *find_region(size_t *size)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	while (f && fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		if (strstr(line, "weft-exchange") && sscanf(line, "%lx-%lx", &lo, &hi) == 2) {
			fclose(f);
			*size = hi - lo;
			return (struct weft_shm *)lo;
		}
	}
	if (f)
		fclose(f);
	return NULL;
}

static void attack(const char *how)
{
	size_t size;
	struct weft_shm *shm = find_region(&size);
	if (!shm)
		return;
	struct weft_event *events = weft_shm_events(shm);
	if (strcmp(how, "garbage") == 0) {
		srand(1);
		for (size_t i = 0; i < size; i++)
			((unsigned char *)shm)[i] = (unsigned char)rand();
	} else if (strcmp(how, "steps") == 0) {
		shm->nsteps = 0;
	} else if (strcmp(how, "threads") == 0) {
		events[1].thread = 40000;
	} else if (strcmp(how, "counts") == 0) {
		shm->nthreads = 1u << 30;
		shm->nmodules = 1u << 30;
	} else if (strcmp(how, "objects") == 0) {
		shm->objects[1].previous = 2;
		shm->objects[2].previous = 1;
		events[1].object = 0xfffffff0u;
	} else if (strcmp(how, "plan") == 0) {
		struct weft_choice *plan = weft_shm_plan(shm);
		for (uint32_t i = 0; i < shm->plan_len; i++)
			plan[i].thread ^= 3;
		shm->plan_len = 0;
	} else if (strcmp(how, "header") == 0) {
		shm->max_steps = 0xffffffffu;
	} else if (strcmp(how, "message") == 0) {
		static const char evil[] = "\033[2J\033]0;owned\007\xc3\x28\xff\xfe misuse";
		memcpy(shm->message, evil, sizeof evil);
		memset(shm->message + sizeof evil, 'x', sizeof shm->message - sizeof evil);
		shm->bug = WEFT_BUG_MISUSE;
		abort();
	}
}

int main(int argc, char **argv)
{
	pthread_t t1, t2;
	pthread_create(&t1, NULL, worker, NULL);
	pthread_create(&t2, NULL, worker, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	if (argc > 1 && strcmp(argv[1], "output") == 0) {
		fputs("\033[2J\033]0;owned\007\xc3\x28\xff\xfe \xc2\x9b"
		      "31m\n",
		      stderr);
		counter = 0;
	}
	if (counter == 2 && argc > 1)
		attack(argv[1]);
	assert(counter == 2);
	return 0;
}
