/* What a restore in place cannot put back ends the resident process
 * instead, and later executions start from a fork: with "child", every
 * execution leaves a child process behind (a zombie it never waits for);
 * with "crash", the executions in which the worker takes the lock first
 * abort. Either way the verdict and the count are those of kernel threads.
 * With "plain", neither. With "replace", every execution unmaps a block
 * mapped before main and maps another of the same size in its place: the
 * next one must find the block as it was before main, or it aborts.
 * usage: restore_child child|crash|plain|replace */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define BLOCK (1u << 20)
static unsigned char *block;

__attribute__((constructor)) static void map_block(void)
{
	block = mmap(NULL, BLOCK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (block != MAP_FAILED)
		memset(block, 'A', BLOCK);
}

/* The block as before main, then another mapping of the same size there. */
static void replace_block(void)
{
	for (size_t i = 0; i < BLOCK; i += 4096)
		if (block[i] != 'A')
			abort();
	munmap(block, BLOCK);
	void *again = mmap(block, BLOCK, PROT_READ | PROT_WRITE,
	                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (again != block)
		abort();
	memset(block, 'B', BLOCK);
}

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int turns;

static void *worker(void *arg)
{
	pthread_mutex_lock(&m);
	turns++;
	pthread_mutex_unlock(&m);
	return arg;
}

int main(int argc, char **argv)
{
	int crash = argc > 1 && strcmp(argv[1], "crash") == 0;
	int plain = argc > 1 && strcmp(argv[1], "plain") == 0;
	if (argc > 1 && strcmp(argv[1], "replace") == 0) {
		plain = 1;
		replace_block();
	}
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	if (!crash && !plain && fork() == 0)
		_exit(0);
	pthread_mutex_lock(&m);
	if (crash && turns == 1)
		abort();
	turns++;
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	return 0;
}
