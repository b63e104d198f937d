/* The interceptor of libc's syscall(): SYS_futex is modelled
 * (model_futex.c), every other system call goes straight to the real
 * function. libstdc++ (std::future, std::atomic<T>::wait, semaphores,
 * latches, barriers), GLib and hand-written locks all reach the kernel's
 * futex this way; glibc's own locks use an inline system call and never
 * come here.
 *
 * syscall() is variadic and does not know how many arguments its caller
 * passed: like glibc's, it reads six longs, whatever they are.
 *
 * Modelled operations, with the private and shared flags alike (one
 * process): FUTEX_WAIT (relative timeout), FUTEX_WAIT_BITSET (absolute
 * timeout on CLOCK_MONOTONIC, or CLOCK_REALTIME with FUTEX_CLOCK_REALTIME),
 * FUTEX_WAKE, FUTEX_WAKE_BITSET, FUTEX_REQUEUE, FUTEX_CMP_REQUEUE and
 * FUTEX_WAKE_OP. Timeouts run on the virtual clock (clock.c) as those of
 * timed condition waits do. The priority-inheritance operations and the
 * futex2 system calls stop the execution with a message naming them
 * (weft__unsupported), never a hang. SYS_clone, SYS_clone3 and SYS_fork go
 * to raw_clone.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <linux/futex.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"
#include "hooks.h"
#include "model_futex.h"
#include "raw_clone.h"

#define CALLER WEFT_CALLER

/* The futex2 system calls (Linux 5.16 and 6.7), which Debian 12's headers
 * may not name. */
#define WEFT_SYS_futex_waitv 449
#define WEFT_SYS_futex_wake 454
#define WEFT_SYS_futex_wait 455
#define WEFT_SYS_futex_requeue 456

/* The runtime's own code (the scheduler's hand-off, wrap_blocking.c) waits
 * on futexes of its own through syscall() too: those calls are the
 * machinery, not the program, and go to the kernel. They are recognised by
 * their return address, inside this shared object. */
static uintptr_t own_start, own_end;

static int find_own(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	uintptr_t here = (uintptr_t)data, lo = UINTPTR_MAX, hi = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		uintptr_t start = info->dlpi_addr + ph->p_vaddr;
		if (start < lo)
			lo = start;
		if (start + ph->p_memsz > hi)
			hi = start + ph->p_memsz;
	}
	if (here < lo || here >= hi)
		return 0;
	/* Threads may race to fill these in, with the same values; the end,
	 * stored last, says the start is there. */
	own_start = lo;
	__atomic_store_n(&own_end, hi, __ATOMIC_RELEASE);
	return 1;
}

static bool from_runtime(uintptr_t pc)
{
	uintptr_t end = __atomic_load_n(&own_end, __ATOMIC_ACQUIRE);
	if (!end) {
		dl_iterate_phdr(find_own, (void *)(uintptr_t)&find_own);
		end = __atomic_load_n(&own_end, __ATOMIC_ACQUIRE);
	}
	return pc >= own_start && pc < end;
}

/* Whether addr lies in a mapping shared with other processes (an 's' in
 * the permissions of its line of /proc/self/maps). Read with plain system
 * calls and a buffer on the stack: no allocation inside the runtime. */
static bool in_shared_mapping(uintptr_t addr)
{
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	char buf[4096];
	size_t have = 0;
	int found = -1;
	while (found < 0) {
		ssize_t n = read(fd, buf + have, sizeof buf - 1 - have);
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = '\0';
		char *line = buf, *nl;
		while (found < 0 && (nl = strchr(line, '\n')) != NULL) {
			char *end;
			uintptr_t lo = strtoul(line, &end, 16), hi = strtoul(end + 1, &end, 16);
			/* "lo-hi rwxs ...": the fourth permission is s or p. */
			if (addr >= lo && addr < hi && end + 4 < nl)
				found = end[4] == 's';
			line = nl + 1;
		}
		have = (size_t)(buf + have - line);
		memmove(buf, line, have);
		if (have == sizeof buf - 1)
			have = 0; /* a line longer than the buffer: not a mapping's */
	}
	close(fd);
	return found == 1;
}

/* Words already known to be in private memory, by object id. */
#define CHECKED_IDS (1u << 16)
static uint8_t checked[CHECKED_IDS / 8];

/* A futex shared with another process (its word in MAP_SHARED memory, used
 * without FUTEX_PRIVATE_FLAG) would be woken, or would wake, where weft
 * does not look: a false deadlock or a hang. Refuse it instead. */
static void check_private(const struct weft_object *w, const uint32_t *word, int op)
{
	if (op & FUTEX_PRIVATE_FLAG)
		return;
	if (w->id < CHECKED_IDS && (checked[w->id / 8] >> (w->id % 8)) & 1)
		return;
	if (in_shared_mapping((uintptr_t)word))
		weft__unsupported("syscall(SYS_futex) on a word in memory shared with other "
		                  "processes (MAP_SHARED, without FUTEX_PRIVATE_FLAG)");
	if (w->id < CHECKED_IDS)
		checked[w->id / 8] |= (uint8_t)(1u << (w->id % 8));
}

static long fail_with(long error)
{
	errno = (int)error;
	return -1;
}

static long result(long rc)
{
	return rc < 0 ? fail_with(-rc) : rc;
}

static const char *unmodelled_name(int cmd)
{
	switch (cmd) {
	case FUTEX_LOCK_PI:
		return "the futex operation FUTEX_LOCK_PI (syscall SYS_futex)";
	case FUTEX_UNLOCK_PI:
		return "the futex operation FUTEX_UNLOCK_PI (syscall SYS_futex)";
	case FUTEX_TRYLOCK_PI:
		return "the futex operation FUTEX_TRYLOCK_PI (syscall SYS_futex)";
	case FUTEX_WAIT_REQUEUE_PI:
		return "the futex operation FUTEX_WAIT_REQUEUE_PI (syscall SYS_futex)";
	case FUTEX_CMP_REQUEUE_PI:
		return "the futex operation FUTEX_CMP_REQUEUE_PI (syscall SYS_futex)";
	case 13: /* FUTEX_LOCK_PI2, Linux 5.14 */
		return "the futex operation FUTEX_LOCK_PI2 (syscall SYS_futex)";
	default:
		return NULL;
	}
}

/* A wait: the comparison and queueing step, then the wake-up, enabled by a
 * wake or by the deadline (when has_deadline). */
static long wait(uint32_t *word, int op, uint32_t expected, uint32_t bitset, bool has_deadline,
                 uint64_t deadline, uintptr_t pc)
{
	struct weft_object *w = weft__futex_get(word);
	check_private(w, word, op);
	weft__sched_point(WEFT_OP_FUTEX_WAIT, w, pc);
	int rc = weft__futex_wait_begin(w, word, expected, bitset);
	if (rc < 0)
		return rc;
	bool no_time = has_deadline && deadline <= weft__rt.now;
	if (has_deadline)
		weft__deadline_arm(deadline);
	weft__sched_point(has_deadline ? WEFT_OP_FUTEX_TIMEDWAKEUP : WEFT_OP_FUTEX_WAKEUP, w, pc);
	rc = weft__futex_wait_end();
	weft__deadline_disarm();
	/* A wait that could not last (a deadline already past) makes no
	 * progress: like a sleep of no time, it lets the others run first. */
	if (rc < 0 && no_time)
		weft__self()->yielded = true;
	return rc;
}

/* The deadline of a wait's timeout: relative for FUTEX_WAIT, absolute on
 * the operation's clock for FUTEX_WAIT_BITSET. false when it is invalid. */
static bool timeout_deadline(int cmd, int op, const struct timespec *ts, uint64_t *deadline)
{
	if (!weft__timespec_valid(ts) || ts->tv_sec < 0)
		return false;
	if (cmd == FUTEX_WAIT) {
		*deadline = weft__deadline_after(ts);
		return true;
	}
	clockid_t c = (op & FUTEX_CLOCK_REALTIME) ? CLOCK_REALTIME : CLOCK_MONOTONIC;
	return weft__deadline_at(c, ts, deadline);
}

/* FUTEX_WAKE_OP: the atomic operation on *word2 encoded in `encoded`, and
 * whether the old value passes its comparison (-ENOSYS for an encoding the
 * kernel refuses). */
static int wake_op_apply(uint32_t *word2, uint32_t encoded)
{
	unsigned op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	int oparg = (int)((encoded >> 12) & 0xfff), cmparg = (int)(encoded & 0xfff);
	oparg = oparg >= 0x800 ? oparg - 0x1000 : oparg; /* 12-bit signed fields */
	cmparg = cmparg >= 0x800 ? cmparg - 0x1000 : cmparg;
	if (encoded & ((uint32_t)FUTEX_OP_OPARG_SHIFT << 28))
		oparg = (int)(1u << (oparg & 31));
	if (op > FUTEX_OP_XOR || cmp > FUTEX_OP_CMP_GE)
		return -ENOSYS;
	uint32_t old = __atomic_load_n(word2, __ATOMIC_SEQ_CST), arg = (uint32_t)oparg, new;
	switch (op) {
	case FUTEX_OP_SET:
		new = arg;
		break;
	case FUTEX_OP_ADD:
		new = old + arg;
		break;
	case FUTEX_OP_OR:
		new = old | arg;
		break;
	case FUTEX_OP_ANDN:
		new = old & ~arg;
		break;
	default:
		new = old ^ arg;
		break;
	}
	__atomic_store_n(word2, new, __ATOMIC_SEQ_CST);
	int o = (int)old;
	switch (cmp) {
	case FUTEX_OP_CMP_EQ:
		return o == cmparg;
	case FUTEX_OP_CMP_NE:
		return o != cmparg;
	case FUTEX_OP_CMP_LT:
		return o < cmparg;
	case FUTEX_OP_CMP_LE:
		return o <= cmparg;
	case FUTEX_OP_CMP_GT:
		return o > cmparg;
	default:
		return o >= cmparg;
	}
}

static long futex(uint32_t *word, int op, uint32_t val, long arg4, uint32_t *word2, uint32_t val3,
                  uintptr_t pc)
{
	int cmd = op & FUTEX_CMD_MASK;
	/* The kernel's own refusals, checked before anything happens. */
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS;
	if (((uintptr_t)word % sizeof(uint32_t)) != 0)
		return -EINVAL;
	if (!word)
		return -EFAULT;
	int val2 = (int)(uint32_t)arg4; /* the count in the timeout's place */
	uint64_t deadline = 0;
	const struct timespec *timeout = (const struct timespec *)arg4;
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET: {
		uint32_t bitset = cmd == FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : val3;
		if (!bitset)
			return -EINVAL;
		if (timeout && !timeout_deadline(cmd, op, timeout, &deadline))
			return -EINVAL;
		return wait(word, op, val, bitset, timeout != NULL, deadline, pc);
	}
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET: {
		uint32_t bitset = cmd == FUTEX_WAKE ? FUTEX_BITSET_MATCH_ANY : val3;
		if (!bitset)
			return -EINVAL;
		struct weft_object *w = weft__futex_get(word);
		check_private(w, word, op);
		weft__sched_point(WEFT_OP_FUTEX_WAKE, w, pc);
		return weft__futex_wake(w, (int)val, bitset);
	}
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE: {
		if ((int)val < 0 || val2 < 0)
			return -EINVAL;
		if (((uintptr_t)word2 % sizeof(uint32_t)) != 0)
			return -EINVAL;
		if (!word2)
			return -EFAULT;
		struct weft_object *w = weft__futex_get(word), *w2 = weft__futex_get(word2);
		check_private(w, word, op);
		check_private(w2, word2, op);
		weft__sched_point(WEFT_OP_FUTEX_REQUEUE, w, pc);
		if (cmd == FUTEX_CMP_REQUEUE && __atomic_load_n(word, __ATOMIC_SEQ_CST) != val3)
			return -EAGAIN;
		return weft__futex_requeue(w, w2, (int)val, val2);
	}
	case FUTEX_WAKE_OP: {
		if (((uintptr_t)word2 % sizeof(uint32_t)) != 0)
			return -EINVAL;
		if (!word2)
			return -EFAULT;
		struct weft_object *w = weft__futex_get(word), *w2 = weft__futex_get(word2);
		check_private(w, word, op);
		check_private(w2, word2, op);
		weft__sched_point(WEFT_OP_FUTEX_WAKE_OP, w, pc);
		int pass = wake_op_apply(word2, val3);
		if (pass < 0)
			return pass;
		int woken = weft__futex_wake(w, (int)val, FUTEX_BITSET_MATCH_ANY);
		if (pass)
			woken += weft__futex_wake(w2, val2, FUTEX_BITSET_MATCH_ANY);
		return woken;
	}
	default:
		return -ENOSYS; /* FUTEX_FD (gone since Linux 2.6.26) and unknown ones */
	}
}

long syscall(long number, ...)
{
	va_list ap;
	va_start(ap, number);
	long a[6];
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	uintptr_t pc = CALLER;
	if (number == SYS_futex) {
		if (!from_runtime(pc) && weft__controlled()) {
			const char *unmodelled = unmodelled_name((int)a[1] & FUTEX_CMD_MASK);
			if (!unmodelled)
				return result(futex((uint32_t *)a[0], (int)a[1], (uint32_t)a[2],
				                    a[3], (uint32_t *)a[4], (uint32_t)a[5], pc));
			/* Past the process's exit only the exiting thread runs:
			 * the kernel may have it (hooks_unsupported.c). */
			if (!weft__rt.exiting)
				weft__unsupported(unmodelled);
		}
	} else if (weft__raw_clone_number(number)) {
		/* A process or a thread made without fork's handlers (raw_clone.c). */
		weft__real_init();
		return weft__raw_clone(number, a);
	} else if (number == WEFT_SYS_futex_waitv || number == WEFT_SYS_futex_wake ||
	           number == WEFT_SYS_futex_wait || number == WEFT_SYS_futex_requeue) {
		if (!from_runtime(pc) && weft__controlled() && !weft__rt.exiting)
			weft__unsupported(number == WEFT_SYS_futex_waitv
			                      ? "the system call futex_waitv (futex2)"
			                      : "a futex2 system call (futex_wake, futex_wait or "
			                        "futex_requeue)");
	}
	weft__real_init();
	return weft__real.syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}
