/* The reference a_mutex_counter.c (N threads: lock; counter++; unlock on
 * one mutex; N! orders of the critical sections) as a weft_check scenario,
 * for bench/run.sh: weft_check explores it in the test process itself, one
 * fork of it per execution. Prints "EXECUTIONS SECONDS MODE" on stdout and
 * exits 0 when the exploration is complete with no bug. MODE is "fiber"
 * when WEFT_THREADS=fiber asked for fibers, "kernel" otherwise.
 * usage: check_mutex_counter [N]   (default 8: 40320 executions) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <weft.h>

#define MAX_N 10

static pthread_mutex_t m;
static int counter;
static int n = 8;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	counter++;
	pthread_mutex_unlock(&m);
	return NULL;
}

static void scenario(void *arg)
{
	(void)arg;
	pthread_t t[MAX_N];
	counter = 0;
	pthread_mutex_init(&m, NULL);
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	weft_assert(counter == n, "counter is %d, expected %d", counter, n);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		n = atoi(argv[1]);
		if (n < 1 || n > MAX_N) {
			fprintf(stderr, "usage: check_mutex_counter [N], N from 1 to %d\n", MAX_N);
			return 2;
		}
	}
	struct weft_options options = WEFT_OPTIONS_INIT;
	options.name = "mutex_counter";
	options.strategy = "dpor";
	options.quiet = 1;
	struct weft_result_summary result;
	enum weft_check_verdict verdict = weft_check(scenario, NULL, &options, &result);
	const char *threads = getenv("WEFT_THREADS");
	printf("%llu %.6f %s\n", result.executions, result.elapsed_seconds,
	       threads && strcmp(threads, "fiber") == 0 ? "fiber" : "kernel");
	return verdict == WEFT_OK && result.complete_seen ? 0 : 1;
}
