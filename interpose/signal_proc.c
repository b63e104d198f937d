/* What the kernel holds for a thread of the program, read from
 * /proc/self/task/TID/status: its signal mask while it waits with the
 * program's own mask, and the signals pending for it or for the process
 * (sent by pthread_kill, raise or kill, not by weft's timers). The
 * scheduler needs them for threads other than the one running, which no
 * system call reports. Under fibers every thread is the one kernel
 * thread: its mask says nothing of a single fiber, and what is pending is
 * what sigpending says.
 * Everything here is async-signal-safe (the spin handler asks too). Also
 * the conversions between signal sets and the bit masks weft keeps. */
#define _GNU_SOURCE
#include "timers.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "exec_layer.h"

/* The hex field `name` (with its colon) of t's status, as signal bits
 * (bit s for signal s); false when it cannot be read. */
static bool status_bits(const struct weft_thread *t, const char *name, uint64_t *bits)
{
	if (weft__exec_mode() == WEFT_EXEC_FIBER || !t->shared || t->shared->tid <= 0)
		return false;
	char path[64] = "/proc/self/task/", digits[16];
	int tid = t->shared->tid, n = 0;
	do
		digits[n++] = (char)('0' + tid % 10);
	while ((tid /= 10) > 0);
	size_t len = strlen(path);
	while (n > 0)
		path[len++] = digits[--n];
	memcpy(path + len, "/status", sizeof "/status");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	char buf[2048];
	ssize_t got = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[got > 0 ? got : 0] = '\0';
	const char *field = strstr(buf, name);
	if (!field)
		return false;
	uint64_t v = 0;
	for (const char *p = field + strlen(name); *p; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		int d = *p >= '0' && *p <= '9'   ? *p - '0'
		        : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
		                                 : -1;
		if (d < 0)
			break;
		v = v << 4 | (uint64_t)d;
	}
	*bits = v << 1; /* the kernel's bit s - 1 is signal s */
	return true;
}

bool weft__proc_mask(const struct weft_thread *t, uint64_t *mask)
{
	return status_bits(t, "\nSigBlk:", mask);
}

uint64_t weft__proc_pending(const struct weft_thread *t)
{
	/* Fibers share the one kernel thread: what it holds is theirs. */
	if (weft__exec_mode() == WEFT_EXEC_FIBER) {
		sigset_t pending;
		sigpending(&pending);
		return weft__sigset_bits(&pending);
	}
	uint64_t own = 0, shared = 0;
	if (!status_bits(t, "\nSigPnd:", &own) || !status_bits(t, "\nShdPnd:", &shared))
		return 0;
	return own | shared;
}

bool weft__sigwait_ready(const struct weft_thread *t)
{
	return weft__timers_sigwait_ready(t) || (weft__proc_pending(t) & t->sigwait_set) != 0;
}

bool weft__pause_ready(const struct weft_thread *t)
{
	/* A signal the kernel holds that sigsuspend's mask lets through, and
	 * that has a handler (pause returns only once one ran). */
	uint64_t mask = t->suspending ? t->suspend_mask : t->wait_mask;
	if (!t->suspending && !t->wait_mask_known && !weft__proc_mask(t, &mask))
		return false; /* pause under a mask weft cannot know (a fiber) */
	uint64_t open = weft__proc_pending(t) & ~mask;
	for (int sig = 1; open && sig < 64; sig++) {
		if (!(open & (1ull << sig)))
			continue;
		struct sigaction sa;
		weft__real_init();
		if (weft__real.sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != SIG_IGN &&
		    sa.sa_handler != SIG_DFL)
			return true;
	}
	return false;
}

uint64_t weft__sigset_bits(const sigset_t *set)
{
	/* glibc's set holds signal s at bit s - 1 of its first word. */
	uint64_t word;
	memcpy(&word, set, sizeof word);
	return word << 1;
}

void weft__sigset_apply_bits(sigset_t *set, uint64_t bits)
{
	for (int sig = 1; sig < 64 && sig <= SIGRTMAX; sig++) {
		if (bits & (1ull << sig))
			sigaddset(set, sig);
		else
			sigdelset(set, sig);
	}
}
