/* The fork server: exec and dynamic loading cost far more than one
 * execution of a small test, so when the explorer asks for it
 * (WEFT_FORKSERVER=CONTROL_FD,STATUS_FD) the runtime stops just before the
 * program's main, while the process is still single-threaded, and forks one
 * child per execution on request; each child runs main as if it had just
 * been started. The server reports each child's pid and wait status back.
 * Protocol (native-endian 32-bit words): the explorer writes 1 to run an
 * execution; the server answers the child's pid, then its wait status. The
 * first answer of all is 1 (ready) or 0 (cannot serve: threads exist).
 * Each execution is a process group of its own (children.c); when it ends,
 * the server ends what it left behind: its group, and the processes that
 * were re-parented to the server (a subreaper), such as daemon()'s. */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "resident.h"
#include "runtime.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static bool read_all(int fd, void *buf, size_t len)
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

static bool read_word(int fd, int32_t *w)
{
	return read_all(fd, w, sizeof *w);
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

/* The processes re-parented to us, read from /proc; 0 when none. */
static int list_children(pid_t *out, int max)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)getpid(), (int)getpid());
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	int n = 0, pid;
	while (n < max && fscanf(f, "%d", &pid) == 1)
		out[n++] = pid;
	fclose(f);
	return n;
}

/* After an execution: end every process left to us. */
static void end_leftovers(void)
{
	for (int round = 0; round < 64; round++) {
		siginfo_t info;
		memset(&info, 0, sizeof info);
		if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 && errno == ECHILD)
			return; /* no children at all: the common case, no /proc read */
		pid_t pids[64];
		int listed = list_children(pids, 64), n = 0;
		/* The snapshot process (snapshot.c) outlives the execution that
		 * forked it, on purpose: it serves the later ones. */
		pid_t snapshot = weft__snapshot_pid();
		for (int i = 0; i < listed; i++)
			if (pids[i] != snapshot) {
				kill(pids[i], SIGKILL);
				n++;
			}
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (listed > 0 && n == 0)
			return;
		if (n == 0) {
			struct timespec pause = {0, 1000000};
			nanosleep(&pause, NULL);
		}
	}
}

/* The resident child of resident.c, when there is one. */
static struct {
	pid_t pid;
	int fd;    /* the server's end of the socket pair */
	int pidfd; /* to see it end */
	bool ready;
} resident = {0, -1, -1, false};

/* Why children are no longer made resident, once one could not. */
static char why_not[WEFT_RESIDENT_WHY_LEN];
static unsigned refusals; /* residents in a row that could not restore */

static void read_reason(void)
{
	char text[WEFT_RESIDENT_WHY_LEN];
	if (!read_all(resident.fd, text, sizeof text))
		return;
	text[sizeof text - 1] = 0;
	memcpy(why_not, text, sizeof text);
}

static int pidfd_of(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* Wait for a word from the resident child, or for its end. A child that
 * cannot take a snapshot says so first, and no later child will try. */
static bool resident_word(int32_t *w)
{
	for (;;) {
		struct pollfd p[2] = {{.fd = resident.fd, .events = POLLIN},
		                      {.fd = resident.pidfd, .events = POLLIN}};
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		if (p[0].revents & POLLIN) {
			if (!read_word(resident.fd, w))
				return false;
			if (*w != WEFT_RESIDENT_NO_SNAPSHOT)
				return true;
			read_reason();
			refusals = 2;
			continue;
		}
		if (p[0].revents || p[1].revents)
			return false;
	}
}

/* The child ended: end its group, reap it and what it left. */
static int reap_resident(void)
{
	pid_t pid = resident.pid;
	siginfo_t info;
	while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) < 0 && errno == EINTR)
		;
	/* Its group ends before it is reaped, so that the pid (the group's
	 * id) is not reused meanwhile. */
	if (!isatty(0))
		kill(-pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	close(resident.fd);
	if (resident.pidfd >= 0)
		close(resident.pidfd);
	resident.pid = 0;
	resident.fd = resident.pidfd = -1;
	resident.ready = false;
	end_leftovers();
	return status;
}

/* Run one execution in the resident child: false when there is none. */
static bool run_resident(int status_fd)
{
	if (!resident.pid)
		return false;
	int32_t word;
	if (!resident.ready) {
		bool back = resident_word(&word);
		if (back && word == WEFT_RESIDENT_REFUSED)
			read_reason();
		if (!back || word != WEFT_RESIDENT_READY) {
			/* It could not put itself back: twice in a row, and
			 * later executions start from a fork. */
			refusals++;
			reap_resident();
			return false;
		}
		refusals = 0;
	}
	word = 1;
	if (send(resident.fd, &word, sizeof word, MSG_NOSIGNAL) != (ssize_t)sizeof word) {
		reap_resident();
		return false;
	}
	resident.ready = false;
	write_word(status_fd, resident.pid);
	int32_t status;
	if (!resident_word(&status))
		status = reap_resident();
	write_word(status_fd, status);
	return true;
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
	weft__exe_path();      /* look it up once, not in every child */
	weft__stack_warm_up(); /* bind the unwinder once, not in every child */
	/* What every execution's threads will need, made once. */
	weft__exec_prepare();
	weft__objects_prepare();
	weft__pool_prepare();
	weft__snapshot_server_init();
	write_word(status_fd, 1);
	/* Anything buffered before main would be printed by every child. */
	fflush(NULL);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	pid_t server = getpid();
	for (;;) {
		int32_t request;
		if (!read_word(control, &request) || request != 1)
			_exit(0);
		if (run_resident(status_fd))
			continue; /* the resident child ran it, restored in place */
		if (weft__snapshot_serve(status_fd))
			continue; /* a snapshot ran it from its first branch point */
		int pair[2] = {-1, -1};
		if (weft__exec_mode() == WEFT_EXEC_FIBER && refusals < 2 &&
		    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
			pair[0] = pair[1] = -1;
		weft__children_serving(true);
		pid_t pid = fork();
		if (pid == 0) {
			close(control);
			close(status_fd);
			if (pair[0] >= 0)
				close(pair[0]);
			prctl(PR_SET_CHILD_SUBREAPER, 0);
			if (!weft__children_execution_start(server))
				_exit(WEFT_RUNTIME_EXIT_STATUS);
			weft__snapshot_child();
			weft__resident_child(pair[1], why_not);
			return;
		}
		weft__children_serving(false);
		if (pair[1] >= 0)
			close(pair[1]);
		write_word(status_fd, pid < 0 ? -errno : (int32_t)pid);
		if (pid < 0) {
			if (pair[0] >= 0)
				close(pair[0]);
			continue;
		}
		resident.pid = pid;
		resident.fd = pair[0];
		resident.pidfd = pair[0] >= 0 ? pidfd_of(pid) : -1;
		int32_t status;
		if (resident.fd >= 0 && resident.pidfd >= 0 && resident_word(&status)) {
			write_word(status_fd, status); /* it lives on, resident */
			continue;
		}
		if (resident.fd < 0 || resident.pidfd < 0) {
			/* Without a way to see it end, wait for it as before. */
			if (resident.fd >= 0)
				close(resident.fd);
			resident.fd = -1;
		}
		write_word(status_fd, reap_resident());
	}
}
