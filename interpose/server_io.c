/* See server_io.h. */
#define _GNU_SOURCE
#include "server_io.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

bool weft__read_all(int fd, void *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

bool weft__read_word(int fd, int32_t *w)
{
	return weft__read_all(fd, w, sizeof *w);
}

bool weft__write_word(int fd, int32_t w)
{
	ssize_t n;
	while ((n = write(fd, &w, sizeof w)) < 0 && errno == EINTR)
		;
	return n == (ssize_t)sizeof w;
}

int weft__reap_group(pid_t pid)
{
	siginfo_t info;
	while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) < 0 && errno == EINTR)
		;
	/* Not when it shares a terminal's input: then it is no group of its
	 * own (children.c). */
	if (!isatty(0))
		kill(-pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

bool weft__has_children(void)
{
	siginfo_t info;
	return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0;
}
