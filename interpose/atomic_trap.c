/* Trapping the atomic instructions atomic_trap_scan.c found (atomic_trap.h).
 * Before main, in the fork server's process (so every child inherits it),
 * each instruction is copied to a trampoline near its module — the
 * instruction (a RIP-relative displacement fixed up for its new place), an
 * int3, an absolute jump back to the instruction after the original — and
 * its first byte in the code becomes int3. On SIGTRAP at an original, the
 * handler computes the address the instruction touches from the
 * registers, takes the scheduling decision with that location as the
 * object (weft__atomic_begin, as the -fsanitize=thread atomics do), and
 * resumes in the trampoline, which jumps home. As uprobes does in the
 * kernel, without single-step. The model wants to know whether the
 * instruction changed the location (a thread that spins on a failing
 * cmpxchg then gives way to the others): a store always does, and whether
 * a cmpxchg succeeds can be read before it runs, since the thread holds
 * the turn until its next scheduling point; for the other read-modify-write
 * instructions the trampoline has an int3 after the instruction, which
 * brings the handler back to compare the location with what it held (a
 * second signal: bench/trap_cost.sh measures both). */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "atomic_trap.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "model_atomic.h"
#include "runtime.h"

#define SLOT_BYTES 32          /* instruction (<= 15), int3, jmp *0(%rip), address */
#define AREA_BYTES (64 * 1024) /* trampolines per allocation */
#define TABLE_SIZE (1u << 14)  /* breakpoints the handler can look up (two per site) */
#define MAX_SITES (TABLE_SIZE / 4)
#define ORDER_SEQ_CST 5

struct area {
	uintptr_t lo, hi; /* the module it serves */
	uint8_t *base;
	size_t used;
};

struct entry {
	uintptr_t key; /* address of an int3: the original, or the one in a trampoline */
	uint32_t site;
	bool after;
};

static struct weft_trap_site *sites;
static uint32_t nsites;
static struct entry *table;
static struct area area;
static uint8_t *areas[256];
static uint32_t nareas;

/* What the trapped instruction of this thread touches, between its two traps. */
struct pending {
	struct weft_object *object;
	uintptr_t address;
	uint8_t before[16];
};
static __thread struct pending pending __attribute__((tls_model("initial-exec")));

static struct entry *lookup(uintptr_t key, bool insert)
{
	uint32_t i = (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 50) & (TABLE_SIZE - 1);
	for (;; i = (i + 1) & (TABLE_SIZE - 1)) {
		if (table[i].key == key)
			return &table[i];
		if (!table[i].key)
			return insert ? &table[i] : NULL;
	}
}

/* A trampoline area within reach of a 32-bit displacement from the module. */
static bool new_area(uintptr_t lo, uintptr_t hi)
{
	if (nareas == sizeof areas / sizeof areas[0])
		return false;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = (hi + page - 1) & ~(page - 1);
	for (uintptr_t step = 0; step < 4096; step++) {
		uintptr_t hint = start + step * AREA_BYTES;
		void *p = mmap((void *)hint, AREA_BYTES, PROT_READ | PROT_WRITE,
		               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p == MAP_FAILED)
			continue;
		if ((uintptr_t)p + AREA_BYTES - lo > 0x7fff0000u) {
			munmap(p, AREA_BYTES);
			break;
		}
		area = (struct area){.lo = lo, .hi = hi, .base = p};
		areas[nareas++] = p;
		return true;
	}
	return false;
}

static uintptr_t write_trampoline(const struct weft_trap_site *site)
{
	uint8_t *t = area.base + area.used;
	memcpy(t, site->bytes, site->len);
	if (site->base == WEFT_TRAP_RIP) {
		int64_t target = (int64_t)(site->addr + site->len) + site->disp;
		int64_t disp = target - (int64_t)((uintptr_t)t + site->len);
		if (disp != (int32_t)disp)
			return 0;
		int32_t d = (int32_t)disp;
		memcpy(t + site->disp_offset, &d, sizeof d);
	}
	size_t at = site->len;
	if (site->kind == WEFT_TRAP_RMW)
		t[at++] = 0xcc; /* back to the handler once it has run */
	static const uint8_t jmp[] = {0xff, 0x25, 0, 0, 0, 0}; /* jmp *0(%rip) */
	memcpy(t + at, jmp, sizeof jmp);
	uint64_t back = site->addr + site->len;
	memcpy(t + at + sizeof jmp, &back, sizeof back);
	area.used += SLOT_BYTES;
	return (uintptr_t)t;
}

static void found(const struct weft_trap_site *site, uintptr_t lo, uintptr_t hi, void *arg)
{
	(void)arg;
	bool fits = nsites < MAX_SITES;
	if (fits && (area.lo != lo || area.used + SLOT_BYTES > AREA_BYTES))
		fits = new_area(lo, hi);
	uintptr_t tramp = fits ? write_trampoline(site) : 0;
	if (!tramp) {
		weft__unseen_site(site->addr);
		return;
	}
	struct weft_trap_site *s = &sites[nsites];
	*s = *site;
	s->tramp = tramp;
	s->orig_byte = site->bytes[0];
	*lookup(s->addr, true) = (struct entry){s->addr, nsites, false};
	if (s->kind == WEFT_TRAP_RMW)
		*lookup(tramp + s->len, true) = (struct entry){tramp + s->len, nsites, true};
	nsites++;
}

static uintptr_t effective_address(const struct weft_trap_site *s, const greg_t *g)
{
	uintptr_t a = (uintptr_t)s->disp;
	if (s->base == WEFT_TRAP_RIP)
		a += s->addr + s->len;
	else if (s->base != WEFT_TRAP_NO_REG)
		a += (uintptr_t)g[s->base];
	if (s->index != WEFT_TRAP_NO_REG)
		a += (uintptr_t)g[s->index] * s->scale;
	return a;
}

/* Whether a cmpxchg about to run will succeed: the location holds the
 * comparand (rax, or rdx:rax for cmpxchg8b/16b, low bytes first). */
static bool cas_will_succeed(const struct weft_trap_site *s, const greg_t *g, uintptr_t a)
{
	uint64_t expected[2] = {(uint64_t)g[REG_RAX], (uint64_t)g[REG_RDX]};
	if (s->wide_cas && s->size == 8) /* cmpxchg8b: edx:eax */
		expected[0] = ((uint64_t)g[REG_RDX] << 32) | (uint32_t)g[REG_RAX];
	return memcmp((const void *)a, expected, s->size <= 16 ? s->size : 16) == 0;
}

static void before(const struct weft_trap_site *s, greg_t *g)
{
	pending.object = NULL;
	g[REG_RIP] = (greg_t)s->tramp;
	/* Threads weft does not control, and the end of the process (only
	 * the exiting thread runs then), run the instruction as it is. */
	if (!weft__controlled() || weft__rt.exiting)
		return;
	uintptr_t a = effective_address(s, g);
	enum weft_op op = s->kind == WEFT_TRAP_STORE ? WEFT_OP_TRAPPED_STORE : WEFT_OP_TRAPPED_RMW;
	/* pc + 1: reports name the instruction, as they name a call's site. */
	struct weft_object *o = weft__atomic_begin((const void *)a, op, s->addr + 1);
	/* The turn is this thread's until its next scheduling point: what the
	 * location holds now is what the instruction will find. */
	if (s->kind == WEFT_TRAP_STORE) {
		weft__atomic_stored(o, ORDER_SEQ_CST);
	} else if (s->kind == WEFT_TRAP_CAS) {
		if (cas_will_succeed(s, g, a))
			weft__atomic_rmw_done(o, ORDER_SEQ_CST, true);
		else
			weft__atomic_cas_failed(o, ORDER_SEQ_CST);
	} else {
		pending.object = o;
		pending.address = a;
		memcpy(pending.before, (const void *)a, s->size < 16 ? s->size : 16);
	}
}

static void after(const struct weft_trap_site *s, const greg_t *g)
{
	struct weft_object *o = pending.object;
	if (!o)
		return;
	pending.object = NULL;
	(void)g;
	weft__atomic_rmw_done(o, ORDER_SEQ_CST,
	                      memcmp(pending.before, (const void *)pending.address,
	                             s->size < 16 ? s->size : 16) != 0);
}

static void on_trap(int sig, siginfo_t *info, void *context)
{
	(void)info;
	ucontext_t *uc = context;
	greg_t *g = uc->uc_mcontext.gregs;
	struct entry *e = lookup((uintptr_t)g[REG_RIP] - 1, false);
	if (!e) {
		/* Not one of ours (a breakpoint of the program's own, raise()):
		 * what SIGTRAP would have done without weft. */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	int saved = errno;
	if (e->after)
		after(&sites[e->site], g);
	else
		before(&sites[e->site], g);
	errno = saved;
}

static void patch(const struct weft_trap_site *s)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t first = s->addr & ~(page - 1);
	size_t len = (s->addr + 1 - first + page - 1) & ~(page - 1);
	if (mprotect((void *)first, len, PROT_READ | PROT_WRITE | PROT_EXEC) != 0) {
		weft__unseen_site(s->addr);
		return;
	}
	*(volatile uint8_t *)s->addr = 0xcc;
	mprotect((void *)first, len, PROT_READ | PROT_EXEC);
}

/* The sites and their table: mappings of their own, read-only once
 * filled, so that a restore in place (restore.h) has nothing of theirs to
 * look at after an execution. */
#define SITES_BYTES (MAX_SITES * sizeof(struct weft_trap_site))
#define TABLE_BYTES (TABLE_SIZE * sizeof(struct entry))

static void *map_zeroed(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void drop_tables(void)
{
	if (sites)
		munmap(sites, SITES_BYTES);
	if (table)
		munmap(table, TABLE_BYTES);
	sites = NULL;
	table = NULL;
	nsites = 0;
}

void weft__trap_install(void)
{
	const char *off = getenv("WEFT_TRAP_ATOMICS");
	if (!weft__rt.shm || (off && strcmp(off, "0") == 0))
		return;
	sites = map_zeroed(SITES_BYTES);
	table = map_zeroed(TABLE_BYTES);
	if (!sites || !table || !weft__trap_scan(found, NULL) || !nsites) {
		drop_tables();
		return;
	}
	mprotect(sites, SITES_BYTES, PROT_READ);
	mprotect(table, TABLE_BYTES, PROT_READ);
	for (uint32_t i = 0; i < nareas; i++)
		mprotect(areas[i], AREA_BYTES, PROT_READ | PROT_EXEC);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_trap;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	/* A fiber's step in the handler may switch to another fiber on the
	 * same kernel thread, whose own trapped instruction must not find
	 * SIGTRAP blocked (the kernel would end the process). */
	if (weft__exec_mode() == WEFT_EXEC_FIBER)
		sa.sa_flags |= SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTRAP, &sa, NULL);
	for (uint32_t i = 0; i < nsites; i++)
		patch(&sites[i]);
	weft__unseen_trapped(nsites);
}
