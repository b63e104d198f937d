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

/* How long a reader watches the request word before it sleeps in read():
 * while the explorer, on a CPU of its own, chooses the next execution,
 * this costs the reader nothing it could use, and saves the wake-up from
 * a sleep, which costs tens of microseconds across CPUs on a virtual
 * machine. */
#define REQUEST_SPINS 4096

bool weft__await_request(int control, struct weft_shm *region, bool spin)
{
	if (region) {
		uint32_t *word = &region->requested;
		for (unsigned i = 0; spin && i < REQUEST_SPINS &&
		                     __atomic_load_n(word, __ATOMIC_ACQUIRE) != WEFT_REQUEST_POSTED;
		     i++) {
#if defined(__x86_64__) || defined(__i386__)
			__builtin_ia32_pause();
#endif
		}
		uint32_t seen = WEFT_REQUEST_IDLE;
		if (!__atomic_compare_exchange_n(word, &seen, WEFT_REQUEST_PIPE, false,
		                                 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) &&
		    seen == WEFT_REQUEST_POSTED) {
			__atomic_store_n(word, WEFT_REQUEST_IDLE, __ATOMIC_RELEASE);
			return true;
		}
	}
	int32_t request;
	if (!weft__read_word(control, &request) || request != 1)
		return false;
	if (region)
		__atomic_store_n(&region->requested, WEFT_REQUEST_IDLE, __ATOMIC_RELEASE);
	return true;
}

bool weft__send_answer(int status_fd, struct weft_shm *region, bool post, int32_t status)
{
	uint32_t seen = WEFT_ANSWER_NONE;
	if (region && post) {
		region->answer = status;
		if (__atomic_compare_exchange_n(&region->answered, &seen, WEFT_ANSWER_POSTED, false,
		                                __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return true;
	}
	if (!weft__write_word(status_fd, status))
		return false;
	/* Written: a watch still going on ends now. */
	seen = WEFT_ANSWER_NONE;
	if (region)
		__atomic_compare_exchange_n(&region->answered, &seen, WEFT_ANSWER_SENT, false,
		                            __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	return true;
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
