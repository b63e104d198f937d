/* Raw clone system calls made through libc's syscall() (SYS_clone,
 * SYS_clone3, SYS_fork). glibc's fork() runs the fork handlers, which set
 * a child apart from weft (children.c); a raw call runs none. Here a child
 * with its own memory gets the same treatment as fork()'s, before and
 * after weft took control: it runs outside weft, on the real functions,
 * never touches the exchange region, inherits nothing that loads weft into
 * what it runs, and ends with its execution. A raw clone that shares the
 * memory (CLONE_VM: a thread, or a vfork-like child) would run the
 * program's code beside the thread weft lets run, where weft cannot see or
 * schedule it: the execution stops with a message naming it and the way
 * out, never a hang or a verdict on a schedule weft did not choose. */
#define _GNU_SOURCE
#include "raw_clone.h"

#include <linux/sched.h>
#include <sys/syscall.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

bool weft__raw_clone_number(long number)
{
	return number == SYS_clone || number == SYS_clone3 || number == SYS_fork;
}

/* The flags of the call, or false when the kernel will refuse it anyway. */
static bool clone_flags(long number, const long a[6], uint64_t *flags)
{
	if (number == SYS_fork) {
		*flags = 0;
		return true;
	}
	if (number == SYS_clone) {
		*flags = (uint64_t)a[0];
		return true;
	}
	const struct clone_args *args = (const struct clone_args *)a[0];
	if (!args || (size_t)a[1] < sizeof args->flags)
		return false;
	*flags = args->flags;
	return true;
}

long weft__raw_clone(long number, const long a[6])
{
	uint64_t flags = 0;
	bool known = clone_flags(number, a, &flags);
	/* Only a process that runs, or may run, under weft has anything to
	 * protect; weft__controlled() takes control as any other call would. */
	bool ours = weft__rt.shm && weft__controlled() && !weft__rt.exiting;
	if (known && ours && (flags & CLONE_VM))
		weft__unsupported(
		    (flags & CLONE_THREAD)
		        ? "syscall(SYS_clone) with CLONE_THREAD (a thread weft cannot schedule: "
		          "create threads with pthread_create or thrd_create)"
		        : "syscall(SYS_clone) with CLONE_VM (a child sharing the memory, which "
		          "weft "
		          "cannot schedule: use fork, vfork or posix_spawn)");
	if (!known || (flags & CLONE_VM))
		return weft__real.syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
	weft__children_before_clone();
	long rc = weft__real.syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (rc == 0)
		weft__children_in_clone_child();
	return rc;
}
