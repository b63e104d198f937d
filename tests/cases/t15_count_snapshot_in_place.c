/* Executions started from the snapshot at the first branch point
 * (--threads=fiber --snapshots) where the process restores itself in place
 * there (snapshot.c): each must start from the program as it was at that
 * point, whatever the executions before it changed after it. Main's prefix
 * fills a block of 1 MiB (a mapping of malloc's own) with zeros and learns
 * the lowest free descriptor; then two workers each add one to a byte of
 * every page of the block under a mutex, open /dev/null and leave it open,
 * and leave 256 KiB of memory mapped. After the joins, main checks that
 * every page holds 2 (not 2 more each execution) and that the descriptor
 * it opens now is at most the third one after the prefix's lowest free
 * one (the workers' two were closed by every restore; the first execution,
 * which made the snapshot, has weft's own two fewer). Under both execution modes every execution
 * must pass.
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
#include <string.h>
#include <unistd.h>

#define BLOCK (1u << 20)
#define PAGE 4096u

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static unsigned char *block;

static void *worker(void *arg)
{
	pthread_mutex_lock(&m);
	for (unsigned i = 0; i < BLOCK; i += PAGE)
		block[i]++;
	pthread_mutex_unlock(&m);
	assert(open("/dev/null", O_RDONLY) >= 0);
	void *kept = malloc(256u << 10);
	assert(kept);
	memset(kept, 1, 256u << 10);
	return arg;
}

int main(void)
{
	block = malloc(BLOCK);
	assert(block);
	memset(block, 0, BLOCK);
	int lowest = open("/dev/null", O_RDONLY);
	assert(lowest >= 0);
	close(lowest);
	pthread_t a, b;
	pthread_create(&a, NULL, worker, NULL);
	pthread_create(&b, NULL, worker, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	for (unsigned i = 0; i < BLOCK; i += PAGE)
		assert(block[i] == 2);
	int fd = open("/dev/null", O_RDONLY);
	assert(fd >= 0 && fd <= lowest + 2);
	return 0;
}
