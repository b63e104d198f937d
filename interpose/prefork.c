/* What the fork server makes once, before its first fork, so that no
 * execution makes it again. Every execution is a child of the server (and
 * later a process restored in place), so whatever the runtime does at the
 * start of each one is paid once per execution: a system call, a mapping,
 * a page written. Prepared here, and inherited by every child:
 *
 *   - the first chunk of the runtime's records (pool.c) and the object
 *     table (objects.c), mapped once instead of once per execution;
 *   - the list of loaded objects that each execution hands the explorer
 *     for its reports (below): copied when the loader's list is the one
 *     the server saw, instead of walking the program headers and printing
 *     every path again;
 *   - the environment the claim leaves to the program's children, the
 *     answer of isatty(0) and the exchange descriptor's flags (children.c);
 *   - glibc's thread_local destructor list and the limits the environment
 *     sets (thread_end.c, progress.c);
 *   - and, called apart, the fibers' stacks and control blocks
 *     (exec_fiber.c). Kernel threads' stacks are not made ahead: glibc
 *     would cache them, but a process that has had threads stays marked
 *     multi-threaded inside glibc, and code that reads the mark (C++
 *     shared_ptr, inlined into the program) would then run other
 *     instructions than in a process started for one execution.
 *
 * Each execution checks that what was prepared still holds (the program
 * may have loaded a library or changed its environment before its first
 * modelled call) and otherwise does the work as it did before. */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "runtime.h"

#include <link.h>
#include <stdio.h>
#include <string.h>

/* Where the loaded objects are recorded: the exchange region's table, or
 * the server's copy of it. */
struct module_table {
	struct weft_module *entries;
	uint32_t *count;
};

static int record_module(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	struct module_table *table = data;
	if (*table->count >= WEFT_MAX_MODULES)
		return 1;
	uint64_t lo = UINT64_MAX, hi = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		uint64_t a = info->dlpi_addr + ph->p_vaddr;
		if (a < lo)
			lo = a;
		if (a + ph->p_memsz > hi)
			hi = a + ph->p_memsz;
	}
	if (lo >= hi)
		return 0;
	struct weft_module *m = &table->entries[*table->count];
	m->start = lo;
	m->end = hi;
	m->bias = info->dlpi_addr;
	const char *name = info->dlpi_name;
	if (!name || !*name) {
		snprintf(m->path, sizeof m->path, "%s", weft__exe_path());
	} else {
		snprintf(m->path, sizeof m->path, "%s", name);
	}
	(*table->count)++;
	return 0;
}

/* The loader counts the objects it ever loaded and unloaded: the same
 * counts mean the same list of objects at the same places. */
struct loader_counts {
	unsigned long long adds, subs;
};

static int read_counts(struct dl_phdr_info *info, size_t size, void *data)
{
	struct loader_counts *c = data;
	if (size >= offsetof(struct dl_phdr_info, dlpi_subs) + sizeof info->dlpi_subs) {
		c->adds = info->dlpi_adds;
		c->subs = info->dlpi_subs;
	}
	return 1; /* the first object tells */
}

static struct loader_counts loader_counts(void)
{
	struct loader_counts c = {0, 0};
	dl_iterate_phdr(read_counts, &c);
	return c;
}

static struct {
	bool ready;
	struct loader_counts counts;
	uint32_t count;
	struct weft_module *entries; /* WEFT_MAX_MODULES of them, pool memory */
} modules;

static void modules_prepare(void)
{
	modules.entries = weft__pool_alloc(WEFT_MAX_MODULES * sizeof *modules.entries);
	modules.counts = loader_counts();
	struct module_table table = {modules.entries, &modules.count};
	dl_iterate_phdr(record_module, &table);
	modules.ready = modules.counts.adds != 0;
}

void weft__modules_record(struct weft_shm *shm)
{
	if (modules.ready && shm->nmodules == 0) {
		struct loader_counts now = loader_counts();
		if (now.adds == modules.counts.adds && now.subs == modules.counts.subs) {
			memcpy(shm->modules, modules.entries,
			       modules.count * sizeof *modules.entries);
			shm->nmodules = modules.count;
			return;
		}
	}
	struct module_table table = {shm->modules, &shm->nmodules};
	dl_iterate_phdr(record_module, &table);
}

void weft__prefork_prepare(void)
{
	weft__pool_prepare();
	weft__objects_prepare();
	modules_prepare();
	weft__children_prepare();
	weft__thread_end_prepare();
	weft__progress_prepare();
	weft__pool_page_break();
}
