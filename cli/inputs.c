/* The weft command's checks of its surroundings, made before exploring so
 * that a long run does not end in a report that cannot be written: closed
 * standard descriptors, report paths that cannot be written, an output that
 * fails when flushed. Each problem is a one-line error and exit 2. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static bool std_closed[3];

void weft_cli_open_std_fds(void)
{
	/* Open /dev/null on each closed one, so that no descriptor weft opens
	 * later lands there and receives what is meant for that stream. */
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		std_closed[fd] = true;
		int null_fd = open("/dev/null", O_RDWR);
		if (null_fd >= 0 && null_fd != fd) {
			dup2(null_fd, fd);
			close(null_fd);
		}
	}
}

/* Whether a report can be written at path: an existing writable file that
 * is not a directory, or a new file in a writable directory. */
static bool writable(const char *path, char *why, size_t len)
{
	struct stat st;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return snprintf(why, len, "it is a directory"), false;
		if (access(path, W_OK) != 0)
			return snprintf(why, len, "%s", strerror(errno)), false;
		return true;
	}
	if (errno != ENOENT)
		return snprintf(why, len, "%s", strerror(errno)), false;
	char copy[PATH_MAX];
	snprintf(copy, sizeof copy, "%s", path);
	const char *dir = dirname(copy);
	if (access(dir, W_OK | X_OK) != 0)
		return snprintf(why, len, "its directory %s: %s", dir, strerror(errno)), false;
	return true;
}

static bool check_report(const char *option, const char *path)
{
	char why[PATH_MAX + 128];
	if (!path)
		return true;
	if (strcmp(path, "-") == 0) {
		if (!std_closed[1])
			return true;
		fprintf(stderr, "weft: %s - writes to standard output, which is closed\n", option);
		return false;
	}
	if (writable(path, why, sizeof why))
		return true;
	fprintf(stderr, "weft: %s %s: cannot write the report there (%s); give a writable path\n",
	        option, path, why);
	return false;
}

int weft_cli_check_outputs(const char *json, const char *junit, bool tap)
{
	if (tap && std_closed[1]) {
		fprintf(stderr, "weft: --tap writes to standard output, which is closed\n");
		return 2;
	}
	return check_report("--json", json) && check_report("--junit", junit) ? -1 : 2;
}

bool weft_cli_flush_stdout(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return true;
	fprintf(stderr, "weft: cannot write to standard output: %s\n", strerror(errno));
	return false;
}
