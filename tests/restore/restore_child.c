/* What a restore in place cannot put back ends the resident process
 * instead, and later executions start from a fork: with "child", every
 * execution leaves a child process behind (a zombie it never waits for);
 * with "crash", the executions in which the worker takes the lock first
 * abort. Either way the verdict and the count are those of kernel threads.
 * With "plain", neither. With "replace", every execution unmaps a block
 * mapped before main and maps another of the same size in its place; with
 * "move", it maps the other block elsewhere first (the size of the address
 * space does not change); with "middle", it maps one page over the middle
 * of the block; with "small", it unmaps a one-page mapping of a file (which
 * a restore compares rather than protects) and maps a page elsewhere; with
 * "discard", it gives the block's pages back to the kernel
 * (madvise(MADV_DONTNEED): they read as zeros after). Each time the next
 * execution must find the block (or the page) as it was before main, or it
 * aborts. Only "discard" is restored in place; the others end the process
 * that restores.
 * usage: restore_child child|crash|plain|replace|move|middle|small|discard */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define BLOCK (1u << 20)
static unsigned char *block;

static unsigned char *page; /* one page, a private mapping of a file */

__attribute__((constructor)) static void map_page(void)
{
	int fd = memfd_create("restore_child", 0);
	if (fd < 0 || ftruncate(fd, 4096) != 0)
		abort();
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	if (page == MAP_FAILED)
		abort();
	page[0] = 'A';
}

/* The page as before main; then it is unmapped, and a page mapped
 * elsewhere. */
static void move_page(void)
{
	if (page[0] != 'A')
		abort();
	void *other = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (other == MAP_FAILED)
		abort();
	munmap(page, 4096);
}

/* The block is the second half of one mapping, so that unmapping it
 * leaves the first half in place. */
__attribute__((constructor)) static void map_block(void)
{
	unsigned char *both =
	    mmap(NULL, 2 * BLOCK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (both == MAP_FAILED)
		abort();
	memset(both, 'A', 2 * BLOCK);
	block = both + BLOCK;
}

/* The block as before main, or abort. */
static void check_block(void)
{
	for (size_t i = 0; i < BLOCK; i += 4096)
		if (block[i] != 'A')
			abort();
}

/* The block as before main, then another mapping of the same size there. */
static void replace_block(void)
{
	check_block();
	munmap(block, BLOCK);
	void *again = mmap(block, BLOCK, PROT_READ | PROT_WRITE,
	                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (again != block)
		abort();
	memset(block, 'B', BLOCK);
}

/* The block as before main; then it is unmapped, and as much memory mapped
 * somewhere else. */
static void move_block(void)
{
	check_block();
	unsigned char *other =
	    mmap(NULL, BLOCK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (other == MAP_FAILED)
		abort();
	memset(other, 'B', BLOCK);
	munmap(block, BLOCK);
}

/* The block as before main; then one page in its middle is another
 * mapping. */
static void replace_middle(void)
{
	check_block();
	unsigned char *page = mmap(block + BLOCK / 2, 4096, PROT_READ | PROT_WRITE,
	                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (page != block + BLOCK / 2)
		abort();
	memset(page, 'B', 4096);
}

/* The block as before main; then its pages are given back. */
static void discard_block(void)
{
	check_block();
	if (madvise(block, BLOCK, MADV_DONTNEED) != 0 || block[0] != 0)
		abort();
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
	static const struct {
		const char *name;
		void (*change)(void);
	} changes[] = {{"replace", replace_block},
	               {"move", move_block},
	               {"middle", replace_middle},
	               {"small", move_page},
	               {"discard", discard_block}};
	for (size_t i = 0; argc > 1 && i < sizeof changes / sizeof changes[0]; i++)
		if (strcmp(argv[1], changes[i].name) == 0) {
			plain = 1;
			changes[i].change();
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
