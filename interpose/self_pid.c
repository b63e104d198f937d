/* The process's pid without a system call per question. The runtime asks
 * it on every claim, every execution's end and in the spin watch: a few
 * system calls per execution, a measurable share when a process restored
 * in place runs tens of thousands of executions. glibc caches no pid (a
 * raw clone would leave the cache wrong), so the cache lives in a page the
 * kernel wipes in every child of a fork (MADV_WIPEONFORK, Linux 4.14): a
 * zero there means "ask the kernel". Where the page cannot be had, every
 * call asks. A vfork child shares the page with its parent and reads the
 * parent's pid: what must tell it from its parent (the end of an execution
 * restored in place, resident.c) asks the kernel. */
#define _GNU_SOURCE
#include "self_pid.h"

#include <stddef.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile pid_t *cached;

__attribute__((constructor)) static void self_pid_init(void)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	               -1, 0);
	if (p == MAP_FAILED)
		return;
	if (madvise(p, (size_t)page, MADV_WIPEONFORK) != 0) {
		munmap(p, (size_t)page);
		return;
	}
	cached = p;
}

pid_t weft__pid(void)
{
	pid_t pid = cached ? *cached : 0;
	if (pid)
		return pid;
	pid = (pid_t)syscall(SYS_getpid);
	if (cached)
		*cached = pid;
	return pid;
}
