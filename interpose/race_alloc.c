/* Memory of the race detector: zeroed, never freed, and never from malloc,
 * which the detector intercepts.
 *
 * Every execution builds the detector's tables afresh (shadow blocks,
 * vector clocks, call-stack nodes), so what an allocation costs is paid
 * once per execution. A system call per table was most of it: the memory
 * comes from one region reserved when the first instrumented module starts
 * (__tsan_init, in a constructor: before the fork server forks, so every
 * execution inherits the reservation untouched and maps nothing), carved
 * with a bump pointer. Its pages are written only where the detector
 * writes, and the reservation is MAP_NORESERVE, so it costs neither memory
 * nor commit charge. Where the system refuses the reservation (strict
 * overcommit), where the process's address space is limited (RLIMIT_AS:
 * the program keeps it for itself), or once it is used up, allocations
 * map their own memory. */
#define _GNU_SOURCE
#include "race.h"

#include <sys/mman.h>
#include <sys/resource.h>

/* Address space only: a test whose detector needs more goes on with one
 * mapping per allocation. */
#define RESERVE_BYTES ((size_t)4 << 30)
/* Past the reservation, small allocations share mappings of this size. */
#define CHUNK_BYTES ((size_t)1 << 20)

static char *next, *end;
static bool reserve_tried;

void weft__race_reserve(void)
{
	if (reserve_tried)
		return;
	reserve_tried = true;
	struct rlimit limit;
	if (getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
		return;
	void *p = mmap(NULL, RESERVE_BYTES, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return;
	next = p;
	end = next + RESERVE_BYTES;
}

static void *map(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		weft__limit("the race detector ran out of memory for its shadow memory (%zu more "
		            "bytes): a limit of this machine, not a bug of the program; shrink the "
		            "test",
		            size);
	return p;
}

void weft__race_unused(void (*each)(uintptr_t lo, size_t size))
{
	/* What the bump pointer has not reached: zeroes, as mapped. */
	uintptr_t lo = ((uintptr_t)next + 4095) & ~(uintptr_t)4095;
	if (next && (uintptr_t)end > lo)
		each(lo, (uintptr_t)end - lo);
}

void *weft__race_alloc(size_t size)
{
	size = (size + 63) & ~(size_t)63;
	weft__race_reserve();
	if ((size_t)(end - next) < size) {
		if (size >= CHUNK_BYTES / 16)
			return map(size);
		next = map(CHUNK_BYTES); /* the rest of the last chunk is left unused */
		end = next + CHUNK_BYTES;
	}
	void *p = next;
	next += size;
	return p;
}
