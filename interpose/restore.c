/* The restore engine (see restore.h). It keeps everything of its own in
 * mappings it made itself, which it neither tracks nor puts back, and runs
 * the copying on a stack of its own: the program's stacks are among the
 * memory being put back.
 *
 * Taking a snapshot: the engine switches to its stack (the switch pushes
 * the caller's registers on the caller's stack and records where), then
 * write-protects every tracked range and copies it (a page of zeros is
 * remembered as such, not copied), so that the copy includes that frame.
 * Putting it back: from its stack again, it checks what it cannot put back
 * before touching anything (refusing then, so that the process just
 * ends), resets the heap break, unmaps what the execution mapped, asks
 * PAGEMAP_SCAN which tracked pages were written and copies those back,
 * compares the smallest mappings (a library's data page) with their copy,
 * protects again the pages found unchanged for a while, closes the
 * descriptors opened since, puts back the signal dispositions if the
 * program changed them and the signal mask, and switches to the recorded
 * frame: the snapshot point returns once more. */
#define _GNU_SOURCE
#include "restore.h"
#include "fiber_tcb.h"
#include "restore_sys.h"

#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

void weft__fiber_switch(void **save_sp, void *next_sp);
void weft__fiber_start(void);

#define MAX_RANGES 512
#define MAX_MAPS 4096
#define MAX_SCRATCH 128
#define MAX_FDS 1024
#define VEC_LEN 256
#define MAX_PROTECT 1024
#define MAX_GOT 256
#define MAX_QUEUED 4096 /* instances of one signal taken off the queue at a restore */
/* A page written and then found unchanged this many restores in a row is
 * write-protected again: until then it is compared (and copied back when
 * changed) every time, which costs less than the fault of a first write
 * to a protected page. A page written again in the very execution after
 * it was protected (the same value stored in every execution) waits twice
 * as long each time, up to COOL_DOWN << MAX_LEVEL restores: each protection
 * costs a flush of the TLB, which on virtual machines costs tens of
 * microseconds (the weft_check counter protected a page in 9 of 10
 * restores before). */
#define COOL_DOWN 8
#define MAX_LEVEL 10
#define MAPS_BUF (1u << 20)
#define STACK_BYTES (256u << 10)

/* A run of writable mappings this small (a library's data, the main
 * thread's thread control block) is compared with its copy at every
 * restore rather than write-protected: on a virtual machine a PAGEMAP_SCAN
 * call costs about 1,200 cycles and each mapping it walks about 500 more,
 * an msync 400, while comparing a page costs about 200 (measured on a
 * 2-core AMD EPYC VM). */
#define COMPARED_PAGES 8

/* A run of write-protected ranges that touch: one PAGEMAP_SCAN call. */
struct span {
	uintptr_t lo, hi;
};

struct range {
	uintptr_t lo, hi;
	size_t first;  /* index of its first page among all tracked pages */
	bool file;     /* a file's private mapping (a library's data) */
	bool compared; /* small: compared with its copy, not write-protected */
};

struct ksigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

struct engine {
	int uffd, pagemap, stat_fd, statm_fd;
	void *snap_sp, *back_sp;
	void *tcb;
	uint64_t mask;
	uintptr_t brk;
	unsigned long vsize;
	uintptr_t stack_lo, stack_hi; /* the [stack] mapping (it may grow) */
	int nranges, nmaps, nscratch, nspans, nsynced;
	struct range ranges[MAX_RANGES];
	struct span spans[MAX_RANGES];
	struct span synced[MAX_RANGES]; /* the spans, joined where mapped between */
	struct weft_map *maps, *now; /* at the snapshot; read at a restore */
	struct weft_map scratch[MAX_SCRATCH];
	int nzeroed;
	struct weft_map zeroed[MAX_SCRATCH];
	void (*zeroed_now)(void (*each)(uintptr_t lo, size_t size));
	uintptr_t zeroed_end; /* where the zeroed memory starts now, at a restore */
	uint64_t fds[MAX_FDS / 64];
	/* Polled at a restore: every descriptor up to low_fd (where the
	 * program's next ones go), and those open above it. */
	struct pollfd polled[MAX_FDS];
	int npolled, low_fd;
	int nkeep;
	int keep[MAX_FDS]; /* open above low_fd, the engine's too, in order */
	struct ksigaction acts[65];
	bool acts_dirty, cwd_dirty, umask_dirty, failed;
	int cwd_fd; /* the working directory at the snapshot */
	unsigned umask;
	const char *taint;
	char why[192];
	unsigned long restores;
	size_t npages;
	char *copies;    /* npages pages */
	uint8_t *zero;   /* a bit per page: it was all zeros */
	uint8_t *absent; /* a bit per page: not in memory at the snapshot */
	int ndrop;
	struct weft_map drop[MAX_PROTECT]; /* pages to give back to the kernel */
	uint16_t *streak;                  /* per page: restores in a row that found it unchanged */
	uint8_t *level;                    /* per page: its cool-down is COOL_DOWN << level */
	uint32_t *protected_at;            /* per page: the restore that protected it again, or 0 */
	int nprotect;
	struct weft_map protect[MAX_PROTECT]; /* pages to write-protect again */
	int ngot;
	struct weft_map got[MAX_GOT]; /* the lazy-binding slots of every object */
	char *buf;                    /* for /proc/self/maps */
	char *stack;
	struct page_region vec[VEC_LEN];
};

static struct engine *eng;
static void (*lost)(const char *why); /* weft__restore_on_lost */

void weft__restore_on_lost(void (*fn)(const char *why))
{
	lost = fn;
}

/* The engine's descriptors (and the resident's channel) are kept at
 * [HIGH_BASE, HIGH_BASE + HIGH_FDS), out of the way of the program's: a
 * program that opens a file gets the same number whether or not its
 * process restores in place (unless it has 56 open). Not higher: closing
 * what an execution opened walks the descriptor table up to its end, about
 * 28 cycles a number (with the engine's at 200, the table had 256 and the
 * closes cost 3 us an execution on a VM; ending at 63, it has 64). */
#define HIGH_BASE 56
#define HIGH_FDS 8
static int high_base = -1;

int weft__restore_high_fd(int fd)
{
	if (fd < 0)
		return fd;
	if (high_base < 0) {
		struct rlimit rl;
		long lim = getrlimit(RLIMIT_NOFILE, &rl) == 0 ? (long)rl.rlim_cur : 1024;
		high_base = lim >= HIGH_BASE + HIGH_FDS ? HIGH_BASE : 0;
	}
	if (!high_base)
		return fd;
	int moved = fcntl(fd, F_DUPFD_CLOEXEC, high_base);
	if (moved < 0 || moved >= high_base + HIGH_FDS) {
		if (moved >= 0)
			close(moved);
		return fd;
	}
	close(fd);
	return moved;
}

static bool engine_fd(int fd)
{
	return high_base > 0 && fd >= high_base && fd < high_base + HIGH_FDS;
}

static char discarded_why[192];

const char *weft__restore_why_not(void)
{
	return eng ? eng->why : discarded_why[0] ? discarded_why : "no snapshot was taken";
}

void weft__restore_taint(const char *why)
{
	if (eng && !eng->taint)
		eng->taint = why;
}

void weft__restore_note_sigaction(void)
{
	if (eng)
		eng->acts_dirty = true;
}

void weft__restore_note_cwd(void)
{
	if (eng)
		eng->cwd_dirty = true;
}

void weft__restore_note_umask(void)
{
	if (eng)
		eng->umask_dirty = true;
}

bool weft__restore_active(void)
{
	return eng && !eng->failed;
}

static void *map_own(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* Start fn(arg) on the engine's stack, as exec_fiber.c starts a fiber. */
static void *engine_frame(struct engine *e, void (*fn)(struct engine *))
{
	uintptr_t *sp = (uintptr_t *)(((uintptr_t)(e->stack + STACK_BYTES) & ~(uintptr_t)15) - 80);
	uint32_t control[2];
	__asm__ volatile("stmxcsr %0\n\tfnstcw %1" : "=m"(control[0]), "=m"(control[1]));
	memset(sp, 0, 8 * sizeof *sp);
	sp[0] = control[0] | ((uint64_t)(control[1] & 0xffff) << 32);
	sp[3] = (uintptr_t)fn; /* r13 */
	sp[4] = (uintptr_t)e;  /* r12 */
	sp[7] = (uintptr_t)weft__fiber_start;
	return sp;
}

/* /proc/self/statm: the size of the address space, in pages (cheaper to
 * make than /proc/self/stat, read when it changed). */
static bool read_size(struct engine *e, unsigned long *vsize)
{
	char b[128];
	long n = weft__sys(SYS_pread64, e->statm_fd, (long)b, sizeof b - 1, 0, 0, 0);
	if (n <= 0)
		return false;
	unsigned long v = 0;
	for (long i = 0; i < n && b[i] >= '0' && b[i] <= '9'; i++)
		v = v * 10 + (unsigned long)(b[i] - '0');
	*vsize = v;
	return true;
}

/* /proc/self/stat: the number of kernel threads (field 20) and the size of
 * the address space (field 23). */
static bool read_stat(struct engine *e, long *threads, unsigned long *vsize)
{
	char b[1024];
	long n = weft__sys(SYS_pread64, e->stat_fd, (long)b, sizeof b - 1, 0, 0, 0);
	if (n <= 0)
		return false;
	b[n] = 0;
	char *p = strrchr(b, ')'); /* the command name may hold spaces */
	if (!p)
		return false;
	int field = 2;
	unsigned long v[24] = {0};
	for (p++; *p && field < 23; p++)
		if (*p == ' ') {
			field++;
			while (p[1] >= '0' && p[1] <= '9')
				v[field] = v[field] * 10 + (unsigned long)(*++p - '0');
		}
	*threads = (long)v[20];
	*vsize = v[23];
	return field == 23;
}

static bool fd_open(int fd)
{
	return WEFT_SYS3(SYS_fcntl, fd, F_GETFD, 0) >= 0;
}

/* The first scratch range that ends after lo and starts before hi, or
 * NULL: a mapping the kernel merged with its neighbours may hold scratch
 * and tracked memory side by side. */
static const struct weft_map *next_scratch(const struct engine *e, uintptr_t lo, uintptr_t hi)
{
	const struct weft_map *first = NULL;
	for (int i = 0; i < e->nscratch; i++)
		if (lo < e->scratch[i].hi && e->scratch[i].lo < hi &&
		    (!first || e->scratch[i].lo < first->lo))
			first = &e->scratch[i];
	return first;
}

static bool add_range(struct engine *e, uintptr_t lo, uintptr_t hi, bool file)
{
	if (lo >= hi)
		return true;
	if (e->nranges == MAX_RANGES) {
		snprintf(e->why, sizeof e->why, "more than %d writable mappings", MAX_RANGES);
		return false;
	}
	e->ranges[e->nranges++] = (struct range){lo, hi, e->npages, file, false};
	e->npages += (hi - lo) / WEFT_PAGE;
	return true;
}

static struct engine *scratch_target;

static void note_scratch(uintptr_t lo, size_t size)
{
	struct engine *e = scratch_target;
	/* Whole pages: the engine's own mappings end on a page boundary. */
	uintptr_t hi = (lo + size + WEFT_PAGE - 1) & ~(WEFT_PAGE - 1);
	lo &= ~(WEFT_PAGE - 1);
	if (e->nscratch < MAX_SCRATCH)
		e->scratch[e->nscratch++] = (struct weft_map){.lo = lo, .hi = hi};
}

/* The writable private mappings, less the engine's own and the scratch. */
static bool choose_ranges(struct engine *e)
{
	int n = weft__restore_read_maps(e->maps, MAX_MAPS, e->buf, MAPS_BUF);
	if (n < 0) {
		snprintf(e->why, sizeof e->why, "cannot read /proc/self/maps");
		return false;
	}
	for (int i = 0; i < n; i++) {
		struct weft_map *m = &e->maps[i];
		if (m->stack) {
			e->stack_lo = m->lo;
			e->stack_hi = m->hi;
		}
		if (!m->writable || !m->readable || m->shared || m->special)
			continue;
		/* What the scratch ranges leave of it, piece by piece. */
		uintptr_t lo = m->lo;
		const struct weft_map *s;
		while ((s = next_scratch(e, lo, m->hi))) {
			if (!add_range(e, lo, s->lo > lo ? s->lo : lo, m->file))
				return false;
			lo = s->hi;
		}
		if (!add_range(e, lo, m->hi, m->file))
			return false;
	}
	if (!e->nranges)
		return false;
	/* Runs of ranges that touch: a small run is compared, a larger one
	 * write-protected and scanned as one span. */
	e->nspans = 0;
	for (int r = 0, end; r < e->nranges; r = end) {
		for (end = r + 1; end < e->nranges && e->ranges[end].lo == e->ranges[end - 1].hi;
		     end++)
			;
		if (e->ranges[end - 1].hi - e->ranges[r].lo <= COMPARED_PAGES * WEFT_PAGE)
			for (int i = r; i < end; i++)
				e->ranges[i].compared = true;
		else
			e->spans[e->nspans++] =
			    (struct span){e->ranges[r].lo, e->ranges[end - 1].hi};
	}
	return true;
}

/* Whether every address in [lo, hi) was in a mapping at the snapshot
 * (e->maps, in address order), none of them special. */
static bool mapped_between(const struct engine *e, uintptr_t lo, uintptr_t hi)
{
	for (int i = 0; i < e->nmaps && lo < hi; i++) {
		const struct weft_map *m = &e->maps[i];
		if (m->lo <= lo && lo < m->hi) {
			if (m->special)
				return false;
			lo = m->hi;
		}
	}
	return lo >= hi;
}

/* The runs that one msync checks for holes: the spans, joined with the
 * next where the snapshot had mappings all the way between (a library's
 * code between two data runs). A mapping of the snapshot unmapped there
 * is a hole too, as it should be. */
static void join_spans(struct engine *e)
{
	e->nsynced = 0;
	for (int s = 0; s < e->nspans; s++) {
		struct span *last = e->nsynced ? &e->synced[e->nsynced - 1] : NULL;
		if (last && mapped_between(e, last->hi, e->spans[s].lo))
			last->hi = e->spans[s].hi;
		else
			e->synced[e->nsynced++] = e->spans[s];
	}
}

static bool open_tracking(struct engine *e)
{
	e->uffd =
	    (int)WEFT_SYS3(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY, 0, 0);
	if (e->uffd < 0)
		e->uffd = (int)WEFT_SYS3(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK, 0, 0);
	if (e->uffd < 0) {
		snprintf(e->why, sizeof e->why, "userfaultfd is not available (%s)",
		         strerror(-e->uffd));
		return false;
	}
	struct uffdio_api api = {.api = UFFD_API,
	                         .features = UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED};
	if (ioctl(e->uffd, UFFDIO_API, &api) != 0) {
		snprintf(
		    e->why, sizeof e->why,
		    "userfaultfd lacks asynchronous write-protection (Linux 6.7 or later has it)");
		return false;
	}
	e->uffd = weft__restore_high_fd(e->uffd);
	e->cwd_fd = weft__restore_high_fd(open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	e->pagemap = weft__restore_high_fd(open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC));
	e->stat_fd = weft__restore_high_fd(open("/proc/self/stat", O_RDONLY | O_CLOEXEC));
	e->statm_fd = weft__restore_high_fd(open("/proc/self/statm", O_RDONLY | O_CLOEXEC));
	if (e->pagemap < 0 || e->stat_fd < 0 || e->statm_fd < 0 || e->cwd_fd < 0) {
		snprintf(
		    e->why, sizeof e->why,
		    "cannot open /proc/self/pagemap, /proc/self/stat or the working directory");
		return false;
	}
	for (int i = 0; i < e->nranges; i++) {
		if (e->ranges[i].compared)
			continue;
		struct uffdio_register reg = {
		    .range = {e->ranges[i].lo, e->ranges[i].hi - e->ranges[i].lo},
		    .mode = UFFDIO_REGISTER_MODE_WP};
		if (ioctl(e->uffd, UFFDIO_REGISTER, &reg) != 0) {
			snprintf(e->why, sizeof e->why,
			         "cannot track %#lx-%#lx with userfaultfd (%s)",
			         (unsigned long)e->ranges[i].lo, (unsigned long)e->ranges[i].hi,
			         strerror(errno));
			return false;
		}
	}
	return true;
}

/* The lazy-binding slots (.got.plt) of every loaded object: a slot the
 * loader resolved during an execution would be put back unresolved and
 * resolved again in every later one. A resolved slot stays right for the
 * life of the process, so the copy takes it, at the first restores and
 * then at every power of two. */
static int note_got(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	struct engine *e = data;
	for (int i = 0; i < info->dlpi_phnum && e->ngot < MAX_GOT; i++) {
		if (info->dlpi_phdr[i].p_type != PT_DYNAMIC)
			continue;
		const ElfW(Dyn) *d =
		    (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
		uintptr_t got = 0, relsz = 0;
		for (; d->d_tag != DT_NULL; d++) {
			if (d->d_tag == DT_PLTGOT)
				got = d->d_un.d_ptr;
			else if (d->d_tag == DT_PLTRELSZ)
				relsz = d->d_un.d_val;
		}
		if (!got || !relsz)
			continue;
		if (got < info->dlpi_addr)
			got += info->dlpi_addr;
		/* Slots 0-2 are the loader's own. */
		uintptr_t lo = got + 3 * sizeof(void *);
		e->got[e->ngot++] = (struct weft_map){
		    .lo = lo, .hi = lo + relsz / sizeof(ElfW(Rela)) * sizeof(void *)};
	}
	return 0;
}

static void fold_lazy_binding(struct engine *e)
{
	unsigned long n = e->restores;
	if (n > 64 && (n & (n - 1)))
		return;
	for (int g = 0; g < e->ngot; g++)
		for (uintptr_t a = e->got[g].lo; a < e->got[g].hi; a += sizeof(void *)) {
			int r = 0;
			while (r < e->nranges && e->ranges[r].hi <= a)
				r++;
			if (r == e->nranges || a < e->ranges[r].lo)
				break;
			size_t off = (size_t)(a - e->ranges[r].lo);
			size_t i = e->ranges[r].first + off / WEFT_PAGE;
			if (e->zero[i / 8] & (1u << (i % 8)))
				continue;
			memcpy(e->copies + i * WEFT_PAGE + off % WEFT_PAGE, (void *)a,
			       sizeof(void *));
		}
}

struct category {
	uint64_t inverted, all, any; /* as PAGEMAP_SCAN's masks */
};
static bool scan_for(struct engine *e, uintptr_t from, uintptr_t to, uint64_t flags,
                     struct category c, void (*fn)(struct engine *, uintptr_t, uintptr_t));

/* PAGEMAP_SCAN over the write-protected memory, a run of touching ranges
 * at a time: the pages written since they were protected go to fn. Only
 * written pages are reported (asking for every page costs the kernel about
 * forty cycles a page more), so the runs are first checked to be mapped
 * still, whole (several at once where join_spans joined them):
 * msync(MS_ASYNC) only walks the mappings, and fails on a
 * hole (memory of the snapshot unmapped, even with as much mapped
 * elsewhere, so that the size of the address space is the same). Memory
 * mapped over a tracked range instead (free() and malloc() of a large
 * block) is no longer write-protectable, which fails the scan itself
 * (PM_SCAN_CHECK_WPASYNC). */
static bool scan(struct engine *e, void (*fn)(struct engine *, uintptr_t, uintptr_t))
{
	for (int s = 0; s < e->nsynced; s++)
		if (WEFT_SYS3(SYS_msync, e->synced[s].lo, e->synced[s].hi - e->synced[s].lo,
		              MS_ASYNC) != 0)
			return false;
	struct category written = {.all = PAGE_IS_WPALLOWED | PAGE_IS_WRITTEN};
	for (int s = 0; s < e->nspans; s++)
		if (!scan_for(e, e->spans[s].lo, e->spans[s].hi, PM_SCAN_CHECK_WPASYNC, written,
		              fn))
			return false;
	return true;
}

/* One PAGEMAP_SCAN walk of [from, to): the regions of category c go to fn. */
static bool scan_for(struct engine *e, uintptr_t from, uintptr_t to, uint64_t flags,
                     struct category c, void (*fn)(struct engine *, uintptr_t, uintptr_t))
{
	while (from < to) {
		struct pm_scan_arg a = {
		    .size = sizeof a,
		    .flags = flags,
		    .start = from,
		    .end = to,
		    .vec = (uintptr_t)e->vec,
		    .vec_len = VEC_LEN,
		    .category_inverted = c.inverted,
		    .category_mask = c.all,
		    .category_anyof_mask = c.any,
		    .return_mask = c.all | c.any,
		};
		long n = WEFT_SYS3(SYS_ioctl, e->pagemap, PAGEMAP_SCAN, &a);
		if (n < 0)
			return false;
		for (long i = 0; fn && i < n; i++)
			fn(e, e->vec[i].start, e->vec[i].end);
		if (a.walk_end <= from)
			return false;
		from = a.walk_end;
	}
	return true;
}

static bool all_zero(const uint64_t *w)
{
	for (size_t i = 0; i < WEFT_PAGE / 8; i++)
		if (w[i])
			return false;
	return true;
}

static bool all_zero(const uint64_t *w);

/* Append page p to a list of runs (to protect, or to drop), merging it
 * with the last run when they touch. */
static void add_page(struct weft_map *runs, int *n, uintptr_t p)
{
	struct weft_map *last = *n ? &runs[*n - 1] : NULL;
	if (last && last->hi == p)
		last->hi += WEFT_PAGE;
	else if (*n < MAX_PROTECT)
		runs[(*n)++] = (struct weft_map){.lo = p, .hi = p + WEFT_PAGE};
}

static void take_present(struct engine *e, uintptr_t lo, uintptr_t hi);
static void copy_present(struct engine *e, uintptr_t lo, uintptr_t hi);

/* Write-protect the pages listed so far again. */
static void flush_protects(struct engine *e)
{
	for (int i = 0; i < e->nprotect; i++) {
		struct uffdio_writeprotect wp = {
		    .range = {e->protect[i].lo, e->protect[i].hi - e->protect[i].lo},
		    .mode = UFFDIO_WRITEPROTECT_MODE_WP};
		WEFT_SYS3(SYS_ioctl, e->uffd, UFFDIO_WRITEPROTECT, &wp);
	}
	e->nprotect = 0;
}

/* Drop the pages listed so far: they read as the file again, as at the
 * snapshot, and from now on are among the snapshot's pages in memory,
 * copied and protected, so that one written in every execution is not
 * dropped and read again each time. */
static void flush_drops(struct engine *e)
{
	for (int i = 0; i < e->ndrop; i++) {
		WEFT_SYS3(SYS_madvise, e->drop[i].lo, e->drop[i].hi - e->drop[i].lo, MADV_DONTNEED);
		take_present(e, e->drop[i].lo, e->drop[i].hi);
	}
	e->ndrop = 0;
}

/* Page i, found unchanged once more: whether to protect it again now. */
static bool cooled_down(struct engine *e, size_t i)
{
	if (++e->streak[i] < (COOL_DOWN << e->level[i]))
		return false;
	e->streak[i] = 0;
	e->protected_at[i] = (uint32_t)e->restores + 1;
	return true;
}

/* Page i, found written: written again right after it was protected, it
 * waits longer before the next time. */
static void written(struct engine *e, size_t i)
{
	if (e->protected_at[i] && (uint32_t)e->restores + 1 - e->protected_at[i] <= 1 &&
	    e->level[i] < MAX_LEVEL)
		e->level[i]++;
	e->protected_at[i] = 0;
}

static void protect_again(struct engine *e, uintptr_t p)
{
	if (e->nprotect == MAX_PROTECT)
		flush_protects(e); /* the list is full: no page may be left out */
	add_page(e->protect, &e->nprotect, p);
}

/* A page the snapshot did not have in memory, in memory now: a file's
 * page is dropped (it reads from the file again, whether the execution
 * wrote its copy or only read it); an anonymous one written is zeroed and
 * kept (it is likely written again), one only read (the zero page) is
 * protected, so that it shows again only when written. */
static void put_back_absent(struct engine *e, const struct range *r, size_t i, uintptr_t p)
{
	if (r->file) {
		if (e->ndrop == MAX_PROTECT)
			flush_drops(e);
		add_page(e->drop, &e->ndrop, p);
	} else if (!all_zero((const uint64_t *)p)) {
		memset((void *)p, 0, WEFT_PAGE);
		e->streak[i] = 0;
	} else if (cooled_down(e, i)) {
		protect_again(e, p);
	}
}

/* Pages the scan found writable: written since they were protected, or
 * left unprotected because they are written every time. */
static void put_back(struct engine *e, uintptr_t lo, uintptr_t hi)
{
	int r = 0;
	for (uintptr_t p = lo; p < hi; p += WEFT_PAGE) {
		while (r < e->nranges && e->ranges[r].hi <= p)
			r++;
		if (r == e->nranges || p < e->ranges[r].lo) {
			/* Only the stack grows into pages the snapshot did not
			 * have: there were none, so zeros. */
			memset((void *)p, 0, WEFT_PAGE);
			continue;
		}
		size_t i = e->ranges[r].first + (p - e->ranges[r].lo) / WEFT_PAGE;
		written(e, i);
		if (e->absent[i / 8] & (1u << (i % 8))) {
			put_back_absent(e, &e->ranges[r], i, p);
			continue;
		}
		bool zero = e->zero[i / 8] & (1u << (i % 8));
		const char *copy = e->copies + i * WEFT_PAGE;
		if (zero ? all_zero((const uint64_t *)p)
		         : memcmp((void *)p, copy, WEFT_PAGE) == 0) {
			if (cooled_down(e, i))
				protect_again(e, p);
			continue;
		}
		e->streak[i] = 0;
		if (zero)
			memset((void *)p, 0, WEFT_PAGE);
		else
			memcpy((void *)p, copy, WEFT_PAGE);
	}
}

/* At the snapshot: a run of pages in memory, protected and copied. */
static void take_present(struct engine *e, uintptr_t lo, uintptr_t hi)
{
	struct uffdio_writeprotect wp = {.range = {lo, hi - lo},
	                                 .mode = UFFDIO_WRITEPROTECT_MODE_WP};
	if (WEFT_SYS3(SYS_ioctl, e->uffd, UFFDIO_WRITEPROTECT, &wp) != 0) {
		snprintf(e->why, sizeof e->why, "cannot write-protect %#lx-%#lx", (unsigned long)lo,
		         (unsigned long)hi);
		e->failed = true;
		return;
	}
	copy_present(e, lo, hi);
}

/* At the snapshot: the copy of a run of pages, in memory now. */
static void copy_present(struct engine *e, uintptr_t lo, uintptr_t hi)
{
	int r = 0;
	for (uintptr_t p = lo; p < hi; p += WEFT_PAGE) {
		while (r < e->nranges && e->ranges[r].hi <= p)
			r++;
		if (r == e->nranges || p < e->ranges[r].lo)
			break;
		size_t i = e->ranges[r].first + (p - e->ranges[r].lo) / WEFT_PAGE;
		e->absent[i / 8] &= (uint8_t) ~(1u << (i % 8));
		if (all_zero((const uint64_t *)p))
			e->zero[i / 8] |= (uint8_t)(1u << (i % 8));
		else
			memcpy(e->copies + i * WEFT_PAGE, (void *)p, WEFT_PAGE);
	}
}

/* On the engine's stack: protect, copy, save the kernel's state. */
static void take_here(struct engine *e)
{
	/* Only the pages in memory are protected and copied: the others stay
	 * without page tables, which the scans pass over at once, and a first
	 * write to one shows as written all the same. */
	for (size_t i = 0; i < e->npages; i++)
		e->absent[i / 8] |= (uint8_t)(1u << (i % 8));
	for (int r = 0; r < e->nranges && !e->failed; r++)
		if (e->ranges[r].compared)
			copy_present(e, e->ranges[r].lo, e->ranges[r].hi);
		else if (!scan_for(e, e->ranges[r].lo, e->ranges[r].hi, 0,
		                   (struct category){.any = PAGE_IS_PRESENT | PAGE_IS_SWAPPED},
		                   take_present)) {
			snprintf(e->why, sizeof e->why,
			         "the kernel has no PAGEMAP_SCAN (Linux 6.7 or later has it)");
			e->failed = true;
		}
	/* A scan now proves the checks of the restore work. */
	if (!e->failed && !scan(e, NULL)) {
		snprintf(e->why, sizeof e->why,
		         "the kernel has no PAGEMAP_SCAN (Linux 6.7 or later has it)");
		e->failed = true;
	}
	if (!e->failed && !read_size(e, &e->vsize)) {
		snprintf(e->why, sizeof e->why, "cannot read /proc/self/stat");
		e->failed = true;
	}
	e->brk = (uintptr_t)WEFT_SYS3(SYS_brk, 0, 0, 0);
	e->umask = (unsigned)WEFT_SYS3(SYS_umask, 022, 0, 0);
	WEFT_SYS3(SYS_umask, e->umask, 0, 0);
	e->low_fd = -1;
	for (int fd = 0; fd < MAX_FDS; fd++)
		if (!engine_fd(fd) && fd_open(fd)) {
			e->fds[fd / 64] |= 1ull << (fd % 64);
			if (high_base <= 0 || fd < high_base)
				e->low_fd = fd;
		}
	for (int fd = 0; fd < MAX_FDS; fd++) {
		bool open_then = e->fds[fd / 64] >> (fd % 64) & 1;
		if (fd <= e->low_fd || open_then)
			e->polled[e->npolled++] = (struct pollfd){.fd = fd};
		if (fd > e->low_fd && (open_then || engine_fd(fd)))
			e->keep[e->nkeep++] = fd;
	}
	for (int sig = 1; sig <= 64; sig++)
		weft__sys(SYS_rt_sigaction, sig, 0, (long)&e->acts[sig], 8, 0, 0);
	e->tcb = weft__tcb_current();
	void *unused;
	weft__fiber_switch(&unused, e->snap_sp);
	__builtin_unreachable();
}

static void note_zeroed(uintptr_t lo, size_t size)
{
	struct engine *e = scratch_target;
	if (e->nzeroed < MAX_SCRATCH && e->nscratch < MAX_SCRATCH) {
		e->zeroed[e->nzeroed++] = (struct weft_map){.lo = lo, .hi = lo + size};
		note_scratch(lo, size);
	}
}

static int take(void (*scratch)(void (*each)(uintptr_t lo, size_t size)),
                void (*zeroed)(void (*each)(uintptr_t lo, size_t size)))
{
	if (eng)
		return -1;
	struct engine *e = map_own(sizeof *e);
	if (!e)
		return -1;
	eng = e; /* so that the reason is known if this fails */
	e->uffd = e->pagemap = e->stat_fd = e->statm_fd = e->cwd_fd = -1;
	e->maps = map_own(MAX_MAPS * sizeof *e->maps);
	e->now = map_own(MAX_MAPS * sizeof *e->now);
	e->buf = map_own(MAPS_BUF);
	e->stack = map_own(STACK_BYTES);
	if (!e->maps || !e->now || !e->buf || !e->stack) {
		snprintf(e->why, sizeof e->why, "out of memory for the snapshot");
		e->failed = true;
		return -1;
	}
	/* The engine's own memory is neither tracked nor put back. */
	scratch_target = e;
	note_scratch((uintptr_t)e, sizeof *e);
	note_scratch((uintptr_t)e->maps, MAX_MAPS * sizeof *e->maps);
	note_scratch((uintptr_t)e->now, MAX_MAPS * sizeof *e->now);
	note_scratch((uintptr_t)e->buf, MAPS_BUF);
	note_scratch((uintptr_t)e->stack, STACK_BYTES);
	if (scratch)
		scratch(note_scratch);
	if (zeroed)
		zeroed(note_zeroed);
	e->zeroed_now = zeroed;
	dl_iterate_phdr(note_got, e);
	if (!choose_ranges(e)) {
		e->failed = true;
		return -1;
	}
	e->copies = map_own(e->npages * WEFT_PAGE);
	e->zero = map_own(e->npages / 8 + 1);
	e->absent = map_own(e->npages / 8 + 1);
	e->streak = map_own(e->npages * sizeof *e->streak);
	e->level = map_own(e->npages);
	e->protected_at = map_own(e->npages * sizeof *e->protected_at);
	if (!e->copies || !e->zero || !e->absent || !e->streak || !e->level || !e->protected_at) {
		snprintf(e->why, sizeof e->why, "out of memory for the snapshot");
		e->failed = true;
		return -1;
	}
	/* Every mapping there is now, the engine's included, is the
	 * snapshot's; a later one is the execution's. */
	e->nmaps = weft__restore_read_maps(e->maps, MAX_MAPS, e->buf, MAPS_BUF);
	if (e->nmaps >= 0)
		join_spans(e);
	if (e->nmaps < 0 || !open_tracking(e)) {
		if (e->nmaps < 0)
			snprintf(e->why, sizeof e->why, "cannot read /proc/self/maps");
		e->failed = true;
		return -1;
	}
	/* No signal handler may run on the engine's stack or meanwhile change
	 * memory being copied; the restore puts the snapshot's mask back. */
	uint64_t all = ~0ull, old = 0;
	weft__sys(SYS_rt_sigprocmask, SIG_SETMASK, (long)&all, (long)&old, 8, 0, 0);
	e->mask = old;
	weft__fiber_switch(&e->snap_sp, engine_frame(e, take_here));
	/* Here after the copy, and after every restore. */
	weft__sys(SYS_rt_sigprocmask, SIG_SETMASK, (long)&e->mask, 0, 8, 0, 0);
	if (e->failed)
		return -1;
	return (int)e->restores;
}

static void unmap_own(void *p, size_t len)
{
	if (p)
		munmap(p, len);
}

/* No snapshot after all: nothing of the engine may stay, or this process
 * would start its execution with other mappings and descriptors than one
 * forked without trying (a program that compares them would see it). */
static void discard(struct engine *e)
{
	memcpy(discarded_why, e->why, sizeof discarded_why);
	int fds[] = {e->uffd, e->pagemap, e->stat_fd, e->statm_fd, e->cwd_fd};
	for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	unmap_own(e->maps, MAX_MAPS * sizeof *e->maps);
	unmap_own(e->now, MAX_MAPS * sizeof *e->now);
	unmap_own(e->buf, MAPS_BUF);
	unmap_own(e->stack, STACK_BYTES);
	unmap_own(e->copies, e->npages * WEFT_PAGE);
	unmap_own(e->zero, e->npages / 8 + 1);
	unmap_own(e->absent, e->npages / 8 + 1);
	unmap_own(e->streak, e->npages * sizeof *e->streak);
	unmap_own(e->level, e->npages);
	unmap_own(e->protected_at, e->npages * sizeof *e->protected_at);
	eng = NULL;
	munmap(e, sizeof *e);
}

int weft__restore_take(void (*scratch)(void (*each)(uintptr_t lo, size_t size)),
                       void (*zeroed)(void (*each)(uintptr_t lo, size_t size)))
{
	int restores = take(scratch, zeroed);
	if (restores < 0 && eng)
		discard(eng);
	return restores;
}

static bool refuse(struct engine *e, const char *why)
{
	snprintf(e->why, sizeof e->why, "%s", why);
	return false;
}

static bool unmap(uintptr_t lo, uintptr_t hi)
{
	return lo >= hi || WEFT_SYS3(SYS_munmap, lo, hi - lo, 0) == 0;
}

/* The address space changed size: unmap what the execution mapped. A new
 * mapping may have merged with one of the snapshot's (same protection,
 * adjacent), and the stack may have grown down: only the parts outside
 * the snapshot's mappings go. */
static bool put_back_maps(struct engine *e)
{
	int n = weft__restore_read_maps(e->now, MAX_MAPS, e->buf, MAPS_BUF);
	if (n < 0)
		return refuse(e, "cannot read /proc/self/maps");
	int s = 0; /* both lists are sorted by address */
	for (int i = 0; i < n; i++) {
		const struct weft_map *m = &e->now[i];
		if (m->special)
			continue;
		uintptr_t cursor = m->lo;
		while (s < e->nmaps && e->maps[s].hi <= m->lo)
			s++;
		for (int j = s; j < e->nmaps && e->maps[j].lo < m->hi; j++) {
			if (!unmap(cursor, e->maps[j].lo))
				return refuse(e, "cannot unmap a mapping of the execution");
			if (e->maps[j].hi > cursor)
				cursor = e->maps[j].hi;
		}
		if (!unmap(cursor, m->hi))
			return refuse(e, "cannot unmap a mapping of the execution");
	}
	/* What is left must hold every mapping of the snapshot. */
	for (int i = 0, j = 0; i < e->nmaps; i++) {
		const struct weft_map *m = &e->maps[i];
		uintptr_t covered = m->lo;
		while (j < n && e->now[j].hi <= covered)
			j++;
		for (int k = j; k < n && e->now[k].lo <= covered && covered < m->hi; k++)
			covered = e->now[k].hi;
		if (!m->special && covered < m->hi)
			return refuse(e, "a mapping of the snapshot was unmapped");
	}
	return read_size(e, &e->vsize) || refuse(e, "cannot read /proc/self/statm");
}

static void zeroed_now(uintptr_t lo, size_t size)
{
	(void)size;
	eng->zeroed_end = lo;
}

/* The memory handed out in order since the snapshot: zeroed in place where
 * little was used (its pages stay, and the next execution does not fault
 * them in again), given back to the kernel beyond that. */
#define ZERO_IN_PLACE (16ul << 20)
/* The ranges compared with their copy: the pages that differ are copied
 * back. */
static void put_back_compared(struct engine *e)
{
	for (int r = 0; r < e->nranges; r++) {
		const struct range *g = &e->ranges[r];
		if (!g->compared)
			continue;
		for (uintptr_t p = g->lo; p < g->hi; p += WEFT_PAGE) {
			size_t i = g->first + (p - g->lo) / WEFT_PAGE;
			if (e->zero[i / 8] & (1u << (i % 8))) {
				if (!all_zero((const uint64_t *)p))
					memset((void *)p, 0, WEFT_PAGE);
			} else if (memcmp((void *)p, e->copies + i * WEFT_PAGE, WEFT_PAGE) != 0) {
				memcpy((void *)p, e->copies + i * WEFT_PAGE, WEFT_PAGE);
			}
		}
	}
}

static void put_back_zeroed(struct engine *e)
{
	for (int i = 0; i < e->nzeroed; i++) {
		struct weft_map *z = &e->zeroed[i];
		uintptr_t used =
		    e->zeroed_end > z->lo && e->zeroed_end <= z->hi ? e->zeroed_end : z->hi;
		uintptr_t in_place = used - z->lo <= ZERO_IN_PLACE ? used : z->lo;
		if (in_place > z->lo)
			memset((void *)z->lo, 0, in_place - z->lo);
		/* Beyond what this execution used, nothing was written since the
		 * last restore left it zero. */
		if (used > in_place)
			WEFT_SYS3(SYS_madvise, in_place, used - in_place, MADV_DONTNEED);
	}
}

/* On the engine's stack: put the process back. Until the pages are copied
 * it may still refuse (back to weft__restore_back, which returns false);
 * after that, only end the process. */
static void back_here(struct engine *e)
{
	unsigned long vsize;
	if (!read_size(e, &vsize)) {
		refuse(e, "cannot read /proc/self/statm");
		goto refused;
	}
	/* A kernel thread of the program's (glibc's helper of a SIGEV_THREAD
	 * timer, of asynchronous I/O) has a stack mapped since: look only
	 * when the size changed. */
	long threads = 1;
	unsigned long unused_size;
	if (vsize != e->vsize && (!read_stat(e, &threads, &unused_size) || threads != 1)) {
		refuse(e, "a kernel thread that weft does not control was running");
		goto refused;
	}
	/* One poll tells which of the descriptors listed are open (the
	 * others are POLLNVAL); it writes only their revents. */
	if (WEFT_SYS3(SYS_poll, e->polled, e->npolled, 0) < 0) {
		refuse(e, "cannot poll the descriptors");
		goto refused;
	}
	for (int i = 0; i < e->npolled; i++) {
		int fd = e->polled[i].fd;
		if ((e->fds[fd / 64] >> (fd % 64) & 1) && (e->polled[i].revents & POLLNVAL)) {
			snprintf(e->why, sizeof e->why,
			         "the execution closed descriptor %d, open before main", fd);
			goto refused;
		}
	}
	uintptr_t brk = (uintptr_t)WEFT_SYS3(SYS_brk, 0, 0, 0);
	if (brk < e->brk) {
		refuse(e, "the heap shrank below its size at the snapshot");
		goto refused;
	}
	if (brk > e->brk && (uintptr_t)WEFT_SYS3(SYS_brk, e->brk, 0, 0) != e->brk) {
		refuse(e, "cannot reset the heap break");
		goto refused;
	}
	if (brk != e->brk || vsize != e->vsize) {
		if (!read_size(e, &vsize)) {
			refuse(e, "cannot read /proc/self/statm");
			goto refused;
		}
		if (vsize != e->vsize && !put_back_maps(e))
			goto refused;
	}
	/* How far the memory handed out in order reached: asked before the
	 * put-back, which returns the allocator's pointer to the snapshot's. */
	e->zeroed_end = e->nzeroed ? e->zeroed[0].hi : 0;
	if (e->nzeroed == 1 && e->zeroed_now)
		e->zeroed_now(zeroed_now);
	/* The point of no return. */
	fold_lazy_binding(e);
	e->nprotect = e->ndrop = 0;
	if (!scan(e, put_back)) {
		/* Half put back: only the process's end is left. */
		if (lost)
			lost(
			    "the execution unmapped memory of the snapshot, or mapped other memory "
			    "over it");
		weft__sys(SYS_exit_group, 0, 0, 0, 0, 0, 0);
	}
	/* A small mapping of the snapshot unmapped, with as much mapped
	 * elsewhere, faults here: the reason is left for the server. */
	if (lost)
		lost("the execution unmapped a small mapping of the snapshot (the restore faulted "
		     "on it)");
	put_back_compared(e);
	if (lost)
		lost("");
	put_back_zeroed(e);
	flush_drops(e);
	flush_protects(e);
	/* Closed: what the execution opened up to low_fd, and everything
	 * between the descriptors kept above it. */
	for (int i = 0; i < e->npolled && e->polled[i].fd <= e->low_fd; i++) {
		int fd = e->polled[i].fd;
		if (!(e->fds[fd / 64] >> (fd % 64) & 1) && !(e->polled[i].revents & POLLNVAL) &&
		    !engine_fd(fd))
			WEFT_SYS3(SYS_close, fd, 0, 0);
	}
	int below = e->low_fd;
	for (int i = 0; i < e->nkeep; below = e->keep[i++])
		if (e->keep[i] > below + 1)
			WEFT_SYS3(SYS_close_range, below + 1, e->keep[i] - 1, 0);
	WEFT_SYS3(SYS_close_range, below + 1, ~0u, 0);
	if (e->cwd_dirty)
		WEFT_SYS3(SYS_fchdir, e->cwd_fd, 0, 0);
	if (e->umask_dirty)
		WEFT_SYS3(SYS_umask, e->umask, 0, 0);
	e->cwd_dirty = e->umask_dirty = false;
	/* A signal left pending (raised while blocked, a timer's last tick)
	 * would be delivered in the next execution, or here once the mask is
	 * put back: every signal pending is taken off the queue (all are
	 * blocked here), each queued instance of it, a system call each (it
	 * was set ignored, which cost 64 more to put the dispositions back). */
	uint64_t pending = 0;
	weft__sys(SYS_rt_sigpending, (long)&pending, 8, 0, 0, 0, 0);
	for (int sig = 1; sig <= 64 && pending; sig++)
		if ((pending >> (sig - 1) & 1) && sig != SIGKILL && sig != SIGSTOP) {
			uint64_t one = 1ull << (sig - 1);
			struct timespec now = {0, 0};
			int n = 0;
			while (n < MAX_QUEUED && weft__sys(SYS_rt_sigtimedwait, (long)&one, 0,
			                                   (long)&now, 8, 0, 0) == sig)
				n++;
			if (n == MAX_QUEUED) {
				/* Still more: ignoring it discards them all; the
				 * dispositions are put back right after. */
				struct ksigaction ignore = {.handler = SIG_IGN};
				weft__sys(SYS_rt_sigaction, sig, (long)&ignore, 0, 8, 0, 0);
				e->acts_dirty = true;
			}
		}
	if (e->acts_dirty) {
		for (int sig = 1; sig <= 64; sig++)
			if (sig != SIGKILL && sig != SIGSTOP)
				weft__sys(SYS_rt_sigaction, sig, (long)&e->acts[sig], 0, 8, 0, 0);
		e->acts_dirty = false;
	}
	weft__tcb_switch_to(e->tcb);
	e->restores++;
	void *unused;
	weft__fiber_switch(&unused, e->snap_sp);
	__builtin_unreachable();
refused:;
	void *unused2;
	weft__fiber_switch(&unused2, e->back_sp);
	__builtin_unreachable();
}

bool weft__restore_back(void)
{
	struct engine *e = eng;
	if (!e || e->failed)
		return false;
	if (e->taint) {
		snprintf(e->why, sizeof e->why, "%s", e->taint);
		return false;
	}
	uint64_t all = ~0ull, old = 0;
	weft__sys(SYS_rt_sigprocmask, SIG_SETMASK, (long)&all, (long)&old, 8, 0, 0);
	weft__fiber_switch(&e->back_sp, engine_frame(e, back_here));
	/* Refused before touching anything. */
	weft__sys(SYS_rt_sigprocmask, SIG_SETMASK, (long)&old, 0, 8, 0, 0);
	return false;
}
