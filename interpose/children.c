/* Processes around an execution: which process may take control of the
 * exchange region, what a child of the program inherits, and how every
 * process weft starts ends with it.
 *
 * Only the process the region was handed to (the one that attached it, or
 * the fork server's child for this execution) may claim it: a child the
 * program forks, before or after threads exist, by fork(), a raw clone or
 * posix_spawn, has another pid and runs outside weft. Once a process has
 * claimed the region, the variables that load weft (LD_PRELOAD's runtime
 * entry, WEFT_SHM_FD, WEFT_FORKSERVER, WEFT_PARENT, WEFT_THREADS) leave its
 * environment and the region's descriptor is closed on exec, so a program
 * it runs (exec, system, posix_spawn) is plain. A raw clone system call
 * (raw_clone.c) gets the same set-up as fork()'s handlers. A process started by weft dies with
 * the weft process (PR_SET_PDEATHSIG), and so does a child forked by an
 * execution's main thread. The process group and the sweep of left-over
 * children are the fork server's (forkserver.c) and the explorer's. It does
 * not hold the models or the scheduler. */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "runtime.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int32_t owner_pid; /* the process that may claim the region */
static int exchange_fd = -1;
static size_t exchange_size;
static bool serving;                    /* the fork server is forking an execution */
static bool claimed;                    /* this process took control of the region */
static bool under_weft;                 /* the region was attached here or in an ancestor */
static __thread bool forking_from_main; /* set in the parent, read by its child */
static __thread pid_t forking_pid;      /* the parent's pid, read by its child */

static pid_t current_pid(void)
{
	/* glibc caches no pid since 2.25, but a raw clone bypasses any cache. */
	return (pid_t)syscall(SYS_getpid);
}

/* Die with the parent; false when the parent is already gone. */
static bool die_with_parent(pid_t expected_parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	return getppid() == expected_parent;
}

static void before_fork(void)
{
	forking_pid = current_pid();
	forking_from_main = syscall(SYS_gettid) == forking_pid;
}

static void in_child(void)
{
	if (serving)
		return; /* the fork server's own child: forkserver.c sets it up */
	/* The death signal fires when the creating thread ends: only a child
	 * of the main thread can be tied to it without ending too early. A
	 * parent that is already gone (daemon()'s) takes the child with it. */
	if (forking_from_main && under_weft && !die_with_parent(forking_pid))
		_exit(WEFT_RUNTIME_EXIT_STATUS);
	/* Never read or write the region from here: it belongs to the
	 * execution, and to later ones after this process outlives it. */
	weft__rt.active = false;
	if (weft__rt.shm)
		munmap(weft__rt.shm, exchange_size);
	weft__rt.shm = NULL;
	weft__rt.plan = NULL;
	weft__rt.events = NULL;
	weft__set_self(NULL);
	/* A child of a claimed process has the region's descriptor closed; a
	 * wrapper shell's child keeps it to exec the program. */
	if (claimed && exchange_fd >= 0)
		close(exchange_fd);
	claimed = false;
}

static void watch_forks(void)
{
	static bool registered;
	owner_pid = current_pid();
	under_weft = true;
	if (!registered) {
		registered = true;
		pthread_atfork(before_fork, NULL, in_child);
	}
}

void weft__children_attach(char **envp, int fd, size_t size)
{
	watch_forks();
	exchange_fd = fd;
	exchange_size = size;
	const char *parent = NULL;
	for (char **e = envp; e && *e; e++)
		if (strncmp(*e, "WEFT_PARENT=", 12) == 0)
			parent = *e + 12;
	if (parent && atoi(parent) > 0 && getppid() == (pid_t)atoi(parent) &&
	    !die_with_parent((pid_t)atoi(parent)))
		_exit(WEFT_RUNTIME_EXIT_STATUS); /* weft ended while we started */
}

bool weft__children_may_claim(void)
{
	return current_pid() == owner_pid;
}

/* Remove our runtime from LD_PRELOAD (its other entries stay). */
static void drop_preload(void)
{
	const char *preload = getenv("LD_PRELOAD");
	Dl_info info;
	if (!preload || !dladdr((void *)weft__children_attach, &info) || !info.dli_fname)
		return;
	size_t ours = strlen(info.dli_fname), n = strlen(preload);
	char *kept = malloc(n + 1);
	if (!kept)
		return;
	size_t k = 0;
	for (const char *p = preload; *p;) {
		size_t len = strcspn(p, ": ");
		if (len && !(len == ours && memcmp(p, info.dli_fname, len) == 0)) {
			if (k)
				kept[k++] = ':';
			memcpy(kept + k, p, len);
			k += len;
		}
		p += len;
		if (*p)
			p++;
	}
	kept[k] = '\0';
	if (k)
		setenv("LD_PRELOAD", kept, 1);
	else
		unsetenv("LD_PRELOAD");
	free(kept);
}

void weft__children_on_claim(void)
{
	claimed = true;
	drop_preload();
	unsetenv("WEFT_SHM_FD");
	unsetenv("WEFT_FORKSERVER");
	unsetenv("WEFT_PARENT");
	/* The execution layer reads its mode once, now at the latest. */
	weft__exec_mode();
	unsetenv("WEFT_THREADS");
	if (exchange_fd >= 0) {
		int flags = fcntl(exchange_fd, F_GETFD);
		if (flags >= 0)
			fcntl(exchange_fd, F_SETFD, flags | FD_CLOEXEC);
	}
}

void weft__children_adopt(void)
{
	watch_forks();
}

void weft__children_serving(bool on)
{
	serving = on;
}

bool weft__children_execution_start(pid_t server)
{
	serving = false;
	owner_pid = current_pid();
	/* An execution is a process group of its own, so that the children
	 * it leaves behind end with it; not when it shares a terminal's input,
	 * which a background group may not read. */
	if (!isatty(0))
		setpgid(0, 0);
	return die_with_parent(server);
}

void weft__children_before_clone(void)
{
	before_fork();
}

void weft__children_in_clone_child(void)
{
	in_child();
}
