/* The runtime's own memory. Records of threads and objects come from chunks
 * mapped here, never from malloc: the runtime leaves the program's heap as
 * the program would have it, and a thread that first touches an object does
 * not make glibc create a malloc arena for it (a 128 MiB reservation and
 * its page faults, in every execution). Records live until the process
 * ends; one execution is one process. */
#define _GNU_SOURCE
#include "runtime.h"

#include <sys/mman.h>

#define CHUNK_SIZE (256u * 1024)

/* The first chunk is in the library's zeroed data (no memory until used),
 * beside the runtime's variables: a process restored in place scans its
 * written pages one run of mappings at a time (restore.c), and a chunk
 * mapped on its own was one more run, about a microsecond per execution. */
static char first_chunk[CHUNK_SIZE] __attribute__((aligned(4096)));

WEFT_HOT static char *chunk;
WEFT_HOT static size_t chunk_used = CHUNK_SIZE;
WEFT_HOT static bool busy;
WEFT_HOT static bool first_taken;

static void *map_chunk(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		__atomic_clear(&busy, __ATOMIC_RELEASE);
		weft__limit("the weft runtime ran out of memory for its own records "
		            "(threads, objects): a limit of this machine, not a bug of the "
		            "program");
	}
	return p;
}

void *weft__pool_alloc(size_t size)
{
	size = (size + 15) & ~(size_t)15;
	/* Only one thread runs at a time under weft; the flag guards the
	 * moments outside its control (a thread that has not yet been
	 * claimed). */
	while (__atomic_test_and_set(&busy, __ATOMIC_ACQUIRE))
		;
	if (chunk_used + size > CHUNK_SIZE && !first_taken && size <= CHUNK_SIZE) {
		first_taken = true;
		chunk = first_chunk;
		chunk_used = 0;
	}
	if (chunk_used + size > CHUNK_SIZE) {
		size_t len = size > CHUNK_SIZE ? size : CHUNK_SIZE;
		void *p = map_chunk(len);
		if (len > CHUNK_SIZE) {
			__atomic_clear(&busy, __ATOMIC_RELEASE);
			return p;
		}
		chunk = p;
		chunk_used = 0;
	}
	void *p = chunk + chunk_used;
	chunk_used += size;
	__atomic_clear(&busy, __ATOMIC_RELEASE);
	return p; /* zero: fresh anonymous memory, never handed out twice */
}

void weft__pool_prepare(void)
{
	/* The fork server takes the first chunk: every execution inherits it
	 * instead of mapping a chunk of its own. */
	if (!chunk && !first_taken) {
		first_taken = true;
		chunk = first_chunk;
		chunk_used = 0;
	}
}

void weft__pool_page_break(void)
{
	/* What the fork server allocated stays its own: the records of each
	 * execution start on a page of their own, which the server never
	 * wrote, so that an execution's first record does not copy a page of
	 * the server's. */
	chunk_used = (chunk_used + 4095) & ~(size_t)4095;
}
