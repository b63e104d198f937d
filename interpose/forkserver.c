/* The fork server: exec and dynamic loading cost far more than one
 * execution of a small test, so when the explorer asks for it
 * (WEFT_FORKSERVER=CONTROL_FD,STATUS_FD) the runtime stops just before the
 * program's main, while the process is still single-threaded, and forks one
 * child per execution on request; each child runs main as if it had just
 * been started. The server reports each child's pid and wait status back.
 * Protocol (native-endian 32-bit words): the explorer writes 1 to run an
 * execution; the server answers the child's pid, then its wait status. The
 * first answer of all is 1 (ready) or 0 (cannot serve: threads exist). */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "runtime.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static bool read_word(int fd, int32_t *w)
{
	size_t got = 0;
	while (got < sizeof *w) {
		ssize_t n = read(fd, (char *)w + got, sizeof *w - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

static bool write_word(int fd, int32_t w)
{
	return write(fd, &w, sizeof w) == (ssize_t)sizeof w;
}

static int count_threads(void)
{
	DIR *d = opendir("/proc/self/task");
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

void weft__forkserver_serve(void)
{
	const char *spec = getenv("WEFT_FORKSERVER");
	int control, status_fd;
	if (!spec || sscanf(spec, "%d,%d", &control, &status_fd) != 2)
		return;
	/* Children must not see the variable: a program that starts itself
	 * again would otherwise try to serve. */
	unsetenv("WEFT_FORKSERVER");
	if (!weft__rt.shm || weft__rt.active || count_threads() != 1) {
		write_word(status_fd, 0);
		close(control);
		close(status_fd);
		return; /* run main once, as exec-per-execution would */
	}
	weft__exe_path(); /* look it up once, not in every child */
	/* What every execution's threads will need, made once. */
	weft__exec_prepare();
	weft__snapshot_server_init();
	write_word(status_fd, 1);
	/* Anything buffered before main would be printed by every child. */
	fflush(NULL);
	for (;;) {
		int32_t request;
		if (!read_word(control, &request) || request != 1)
			_exit(0);
		if (weft__snapshot_serve(status_fd))
			continue; /* a snapshot ran it from its first branch point */
		pid_t pid = fork();
		if (pid == 0) {
			close(control);
			close(status_fd);
			weft__snapshot_child();
			return;
		}
		write_word(status_fd, pid < 0 ? -errno : (int32_t)pid);
		if (pid < 0)
			continue;
		int status = 0;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		write_word(status_fd, status);
	}
}
