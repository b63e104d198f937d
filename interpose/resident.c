/* The resident execution: with fibers, the fork server's child does not
 * end with its execution. It takes a snapshot before main (restore.h),
 * and at the end of every execution it reports the status the process
 * would have exited with, puts itself back as it was at the snapshot and
 * waits there for the next execution. The fork server (forkserver.c)
 * relays its status as it relays a child's wait status, and forks a new
 * child whenever the resident one has ended: it crashed, was killed by
 * the hang watchdog, or could not put itself back (a child process, a
 * closed descriptor; the summary names the reason). Protocol, on a
 * socket pair (native-endian 32-bit words): the server sends 1 to run an
 * execution; the resident answers the execution's wait status, then 1
 * once it is back at the snapshot. --threads=kernel, WEFT_RESTORE=0 or a
 * kernel without the interfaces keep one fork per execution. */
#define _GNU_SOURCE
#include "resident.h"
#include "exec_layer.h"
#include "restore.h"
#include "runtime.h"
#include "spin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int channel = -1;     /* the resident's end of the socket pair */
static int32_t resident_pid; /* this process, when it is resident */

static bool send_word(int fd, int32_t w)
{
	ssize_t n;
	while ((n = send(fd, &w, sizeof w, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	return n == (ssize_t)sizeof w;
}

static bool recv_word(int fd, int32_t *w)
{
	size_t got = 0;
	while (got < sizeof *w) {
		ssize_t n = recv(fd, (char *)w + got, sizeof *w - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

static void record_model(int model, const char *why)
{
	struct weft_shm *shm = weft__rt.shm;
	if (!shm)
		return;
	shm->exec_model = model;
	if (why)
		snprintf(shm->restore_why, sizeof shm->restore_why, "%s", why);
}

static void debug(const char *what, const char *why)
{
	const char *path = getenv("WEFT_RESTORE_DEBUG");
	if (!path)
		return;
	FILE *f = fopen(path, "a");
	if (f) {
		fprintf(f, "%d: %s: %s\n", (int)getpid(), what, why);
		fclose(f);
	}
}

/* The memory nobody reads at the snapshot: the exec layer's pooled
 * fiber stacks. */
static void scratch(void (*each)(uintptr_t lo, size_t size))
{
	weft__exec_scratch_memory(each);
}

/* Tell the server why this process does not restore in place (`word`
 * says when), so that it stops trying and the summary can say why. */
static void send_reason(int word, const char *why)
{
	char text[WEFT_RESIDENT_WHY_LEN] = {0};
	snprintf(text, sizeof text, "%s", why);
	if (send_word(channel, word))
		send(channel, text, sizeof text, MSG_NOSIGNAL);
}

void weft__resident_child(int fd, const char *why_not)
{
	const char *wanted = getenv("WEFT_RESTORE");
	bool off = wanted && strcmp(wanted, "0") == 0;
	if (fd < 0 || off || weft__exec_mode() != WEFT_EXEC_FIBER) {
		if (fd >= 0)
			close(fd);
		if (weft__exec_mode() == WEFT_EXEC_FIBER)
			record_model(WEFT_EXEC_MODEL_FORK, off ? "WEFT_RESTORE=0 turned it off"
			                                   : why_not && *why_not ? why_not
			                                                         : NULL);
		else
			record_model(WEFT_EXEC_MODEL_FORK, NULL);
		return;
	}
	channel = weft__restore_high_fd(fd);
	resident_pid = (int32_t)syscall(SYS_getpid);
	int restores = weft__restore_take(scratch);
	if (restores < 0) {
		debug("no snapshot", weft__restore_why_not());
		record_model(WEFT_EXEC_MODEL_FORK, weft__restore_why_not());
		send_reason(WEFT_RESIDENT_NO_SNAPSHOT, weft__restore_why_not());
		channel = -1;
		resident_pid = 0;
		close(fd);
		return;
	}
	if (restores > 0) {
		/* Back at the snapshot: ready for the next execution. */
		int32_t request;
		if (!send_word(channel, WEFT_RESIDENT_READY) || !recv_word(channel, &request) ||
		    request != 1)
			syscall(SYS_exit_group, 0);
	}
	record_model(restores > 0 ? WEFT_EXEC_MODEL_RESTORE : WEFT_EXEC_MODEL_FORK, NULL);
}

static bool has_children(void)
{
	siginfo_t info;
	return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0;
}

void weft__execution_end(int code)
{
	if (channel < 0 || resident_pid != (int32_t)syscall(SYS_getpid)) {
		syscall(SYS_exit_group, code);
		__builtin_unreachable();
	}
	weft__spin_execution_end();
	if (has_children())
		weft__restore_taint("the execution left a child process");
	if (!send_word(channel, (int32_t)W_EXITCODE(code & 0xff, 0)))
		syscall(SYS_exit_group, code);
	weft__restore_back(); /* returns only when it cannot */
	debug("not restored", weft__restore_why_not());
	send_reason(WEFT_RESIDENT_REFUSED, weft__restore_why_not());
	syscall(SYS_exit_group, code);
	__builtin_unreachable();
}

void weft__execution_end_normal(int code)
{
	if (channel < 0 || resident_pid != (int32_t)syscall(SYS_getpid))
		return; /* glibc goes on to flush stdio and exit */
	/* What glibc would do next: flush every stream. */
	fflush(NULL);
	weft__execution_end(code);
}
