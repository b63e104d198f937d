/* Executions that start from a snapshot (--threads=fiber --snapshots forks
 * one at the first branch point, snapshot.c) must each see the program as it was
 * there: main's prefix allocates and fills a heap block, sets a static,
 * and opens, appends to and closes a log file (named by
 * WEFT_TEST_PREFIX_LOG, if set: tests/threads_modes.sh counts how many
 * times the prefix ran); then two workers each add to both under a mutex,
 * and main checks the sums after the joins. Under both execution modes
 * every execution must pass.
 *
 * Count: the steps are those of the two-worker mutex counter
 * (count_mutex_counter_2.c): 151 executions.
 *
 * weft-options: --snapshots
 * weft-expect: ok 151
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 2.
 * weft-expect-dpor: 2
 */
#include <assert.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int *heap_total;
static int static_total;

static void *worker(void *arg)
{
	pthread_mutex_lock(&m);
	*heap_total += 1;
	static_total += 10;
	pthread_mutex_unlock(&m);
	return arg;
}

int main(void)
{
	heap_total = malloc(64 * sizeof *heap_total);
	for (int i = 0; i < 64; i++)
		heap_total[i] = 0;
	static_total = 100;
	const char *log = getenv("WEFT_TEST_PREFIX_LOG");
	if (log) {
		int fd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0600);
		assert(fd >= 0 && write(fd, "x", 1) == 1);
		close(fd);
	}
	pthread_t a, b;
	pthread_create(&a, NULL, worker, NULL);
	pthread_create(&b, NULL, worker, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	assert(*heap_total == 2 && static_total == 120);
	free(heap_total);
	return 0;
}
