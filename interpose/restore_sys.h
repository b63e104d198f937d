/* What the restore engine (restore.c, restore_maps.c) needs from the
 * kernel, called without libc: while pages are being put back, nothing may
 * write memory the engine tracks (errno in the thread control block, a
 * libc buffer), or the process would resume with that write in it. Also
 * the kernel interfaces Debian 12's headers predate (Linux 6.7's
 * PAGEMAP_SCAN, userfaultfd's asynchronous write-protection), defined from
 * the kernel's uapi values. */
#ifndef WEFT_RESTORE_SYS_H
#define WEFT_RESTORE_SYS_H

#include <linux/userfaultfd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif
#ifndef UFFD_FEATURE_WP_UNPOPULATED
#define UFFD_FEATURE_WP_UNPOPULATED (1 << 13)
#endif
#ifndef UFFD_FEATURE_WP_ASYNC
#define UFFD_FEATURE_WP_ASYNC (1 << 15)
#endif

#ifndef PAGEMAP_SCAN
struct page_region {
	uint64_t start, end, categories;
};
struct pm_scan_arg {
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
	uint64_t category_inverted, category_mask, category_anyof_mask, return_mask;
};
#define PAGE_IS_WPALLOWED (1 << 0)
#define PAGE_IS_WRITTEN (1 << 1)
#define PAGE_IS_FILE (1 << 2)
#define PAGE_IS_PRESENT (1 << 3)
#define PAGE_IS_SWAPPED (1 << 4)
#define PAGE_IS_PFNZERO (1 << 5)
#define PM_SCAN_WP_MATCHING (1 << 0)
#define PM_SCAN_CHECK_WPASYNC (1 << 1)
#define PAGEMAP_SCAN _IOWR('f', 16, struct pm_scan_arg)
#endif

#define WEFT_PAGE 4096ul

/* A system call; returns -errno on failure, as the kernel does. */
static inline long weft__sys(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
	                 : "rcx", "r11", "memory");
	return ret;
}

#define WEFT_SYS3(n, a, b, c) weft__sys((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* One mapping of /proc/self/maps. */
struct weft_map {
	uintptr_t lo, hi;
	bool readable, writable, shared;
	bool special; /* [vvar], [vdso], [vsyscall]: never tracked */
	bool stack;   /* [stack] */
	bool file;    /* backed by a file (a library's data): not anonymous */
};

/* Read the process's mappings into out[max] with buf[buflen] as scratch,
 * without libc; returns how many, or -1 when they do not fit or cannot be
 * read. */
int weft__restore_read_maps(struct weft_map *out, int max, char *buf, size_t buflen);

#endif
