/* weft_check runs the scenario's threads in the mode WEFT_THREADS names,
 * as `weft run` does: with fibers every thread of the scenario is on the
 * one kernel thread of the execution (the same kernel thread id), with
 * kernel threads each has its own. In both, errno and __thread variables
 * are per thread across a switch, and the exploration is the same: two
 * threads that take one mutex once each, 2 executions under DPOR.
 * usage: check_threads kernel|fiber (the mode WEFT_THREADS must have
 * given); exits 0 when every expectation holds. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <weft.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static __thread int mine;
static pid_t tids[2];
static int fibers; /* expected: 1 with fibers */

static void *worker(void *arg)
{
	int i = (int)(long)arg;
	tids[i] = (pid_t)syscall(SYS_gettid);
	mine = 10 + i;
	errno = 100 + i;
	pthread_mutex_lock(&m); /* the other thread may run here */
	pthread_mutex_unlock(&m);
	weft_assert(mine == 10 + i, "thread %d: __thread variable is %d", i, mine);
	weft_assert(errno == 100 + i, "thread %d: errno is %d", i, errno);
	return NULL;
}

static void scenario(void *arg)
{
	(void)arg;
	pthread_t t[2];
	pid_t self = (pid_t)syscall(SYS_gettid);
	mine = 1;
	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	weft_assert(mine == 1, "main thread: __thread variable is %d", mine);
	if (fibers)
		weft_assert(
		    tids[0] == self && tids[1] == self,
		    "fibers asked for, but threads ran on kernel threads %d and %d (main %d)",
		    (int)tids[0], (int)tids[1], (int)self);
	else
		weft_assert(tids[0] != self && tids[1] != self && tids[0] != tids[1],
		            "kernel threads asked for, but kernel thread ids are %d, %d (main %d)",
		            (int)tids[0], (int)tids[1], (int)self);
}

int main(int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "kernel") != 0 && strcmp(argv[1], "fiber") != 0)) {
		fprintf(stderr, "usage: check_threads kernel|fiber\n");
		return 2;
	}
	fibers = strcmp(argv[1], "fiber") == 0;
	struct weft_options options = WEFT_OPTIONS_INIT;
	options.name = "threads";
	options.strategy = "dpor";
	struct weft_result_summary r;
	enum weft_check_verdict v = weft_check(scenario, NULL, &options, &r);
	int ok = v == WEFT_OK && r.complete_seen && r.executions == 2;
	fprintf(stderr, "%s: %s threads, verdict %d, %llu executions (expected 0 and 2)\n",
	        ok ? "ok" : "FAIL", argv[1], (int)v, r.executions);
	return ok ? 0 : 1;
}
