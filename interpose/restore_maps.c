/* Reading /proc/self/maps for the restore engine, without libc (see
 * restore_sys.h): the engine reads them when the process's size tells that
 * a mapping came or went during an execution, in the middle of putting
 * pages back. */
#define _GNU_SOURCE
#include "restore_sys.h"

#include <fcntl.h>
#include <string.h>

static uintptr_t hex(const char **p, const char *end)
{
	uintptr_t v = 0;
	for (; *p < end; (*p)++) {
		char c = **p;
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			break;
		v = v * 16 + d;
	}
	return v;
}

static bool ends_with(const char *line, const char *end, const char *name)
{
	size_t n = strlen(name);
	return (size_t)(end - line) >= n && memcmp(end - n, name, n) == 0;
}

/* One line "lo-hi perms offset dev inode [name]". */
static bool parse_line(const char *line, const char *end, struct weft_map *m)
{
	const char *p = line;
	m->lo = hex(&p, end);
	if (p >= end || *p++ != '-')
		return false;
	m->hi = hex(&p, end);
	if (p + 5 > end || *p++ != ' ')
		return false;
	m->readable = p[0] == 'r';
	m->writable = p[1] == 'w';
	m->shared = p[3] == 's';
	m->special = ends_with(line, end, "[vvar]") || ends_with(line, end, "[vdso]") ||
	             ends_with(line, end, "[vsyscall]") || ends_with(line, end, "[vvar_vclock]");
	m->stack = ends_with(line, end, "[stack]");
	/* "lo-hi perms offset dev inode [name]": a path names the file. */
	m->file = memchr(p, '/', (size_t)(end - p)) != NULL;
	return m->hi > m->lo;
}

int weft__restore_read_maps(struct weft_map *out, int max, char *buf, size_t buflen)
{
	long fd = WEFT_SYS3(SYS_openat, AT_FDCWD, "/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t len = 0;
	for (;;) {
		if (len == buflen) {
			WEFT_SYS3(SYS_close, fd, 0, 0);
			return -1; /* more than fits: the caller refuses */
		}
		long n = WEFT_SYS3(SYS_read, fd, buf + len, buflen - len);
		if (n < 0) {
			WEFT_SYS3(SYS_close, fd, 0, 0);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	WEFT_SYS3(SYS_close, fd, 0, 0);
	int count = 0;
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (count == max)
			return -1;
		if (parse_line(p, eol, &out[count]))
			count++;
		p = eol + 1;
	}
	return count;
}
