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
#include "self_pid.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

WEFT_HOT static int32_t owner_pid; /* the process that may claim the region */
static int exchange_fd = -1;
static size_t exchange_size;
WEFT_HOT static bool serving;           /* the fork server is forking an execution */
WEFT_HOT static bool claimed;           /* this process took control of the region */
static bool under_weft;                 /* the region was attached here or in an ancestor */
static __thread bool forking_from_main; /* set in the parent, read by its child */
static __thread pid_t forking_pid;      /* the parent's pid, read by its child */

/* Prepared by the fork server (weft__children_prepare) for its children. */
static struct {
	bool ready;
	int stdin_tty;      /* isatty(0) */
	int exchange_flags; /* the region's descriptor's F_GETFD */
	/* The environment as the server had it (its array and a copy of its
	 * pointers), and the pointers the claim leaves in that array. */
	char **environ_at;
	char **before, **after;
	size_t nbefore;
	/* Which entries of `before` the claim drops or replaces, with their
	 * text as it read then, and the entry it writes for LD_PRELOAD. */
	bool *dropped;
	char **dropped_text;
	char *rewritten;
} prepared;

static pid_t current_pid(void)
{
	return weft__pid();
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
	/* Never read or write the region from here: it belongs to the
	 * execution, and to later ones after this process outlives it. This
	 * comes first: the exit below would otherwise be recorded there, as
	 * the end of the process, in whichever execution runs then (the
	 * parent may end any time after the fork). */
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
	/* The death signal fires when the creating thread ends: only a child
	 * of the main thread can be tied to it without ending too early. A
	 * parent that is already gone (daemon()'s) takes the child with it. */
	if (forking_from_main && under_weft && !die_with_parent(forking_pid))
		_exit(WEFT_RUNTIME_EXIT_STATUS);
}

/* vfork's child borrows its parent's memory, thread and all, until it
 * execs or exits: it would run in weft's records of the parent's
 * execution (an exec that fails and the _exit after it would end the
 * parent's main thread there), and share the cached pid (self_pid.h).
 * POSIX lets vfork be fork, which it is here: its child is one more child
 * of the program, outside weft, as fork's is. */
pid_t vfork(void)
{
	return fork();
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

int32_t weft__children_owner(void)
{
	return owner_pid;
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

static void scrub_environment(void)
{
	drop_preload();
	unsetenv("WEFT_SHM_FD");
	unsetenv("WEFT_FORKSERVER");
	unsetenv("WEFT_PARENT");
	/* The execution mode is read (once) before its variables go. */
	(void)weft__exec_mode();
	unsetenv("WEFT_THREADS");
	unsetenv("WEFT_SNAPSHOTS");
}

/* The names the claim takes out of the environment or rewrites. */
static bool scrubbed_name(const char *entry)
{
	static const char *const names[] = {"LD_PRELOAD=",  "WEFT_SHM_FD=",  "WEFT_FORKSERVER=",
	                                    "WEFT_PARENT=", "WEFT_THREADS=", "WEFT_SNAPSHOTS="};
	if (entry[0] != 'L' && entry[0] != 'W')
		return false;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strncmp(entry, names[i], strlen(names[i])) == 0)
			return true;
	return false;
}

/* The environment the claim leaves is computed once, in the fork server:
 * each execution then puts the prepared pointers into its array instead of
 * editing it with setenv and unsetenv, which allocate on the program's heap
 * and write its pages in every execution. Only when the program has not
 * changed its environment since main started: the same array holding the
 * same entries, those the claim drops or rewrites reading as they did, and
 * no kept one renamed into one of those. */
static bool environment_as_prepared(void)
{
	if (!prepared.ready || !prepared.after || environ != prepared.environ_at)
		return false;
	for (size_t i = 0; i <= prepared.nbefore; i++)
		if (environ[i] != prepared.before[i])
			return false;
	for (size_t i = 0, d = 0; i < prepared.nbefore; i++)
		if (prepared.dropped[i] && strcmp(environ[i], prepared.dropped_text[d++]) != 0)
			return false;
	size_t n = 0;
	for (; prepared.after[n]; n++)
		if (prepared.after[n] != prepared.rewritten && scrubbed_name(prepared.after[n]))
			return false;
	memcpy(environ, prepared.after, (n + 1) * sizeof *environ);
	return true;
}

void weft__children_on_claim(void)
{
	claimed = true;
	if (!environment_as_prepared())
		scrub_environment();
	if (exchange_fd >= 0) {
		int flags = prepared.ready ? prepared.exchange_flags : fcntl(exchange_fd, F_GETFD);
		if (flags >= 0 && !(flags & FD_CLOEXEC))
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
	if (!(prepared.ready ? prepared.stdin_tty : isatty(0)))
		setpgid(0, 0);
	return die_with_parent(server);
}

/* Copy into the runtime's own memory, which outlives the execution. */
static char *pool_strdup(const char *text)
{
	size_t n = strlen(text) + 1;
	return memcpy(weft__pool_alloc(n), text, n);
}

static void prepare_environment(void)
{
	if (!environ)
		return;
	size_t n = 0;
	while (environ[n])
		n++;
	char **before = weft__pool_alloc((n + 1) * sizeof *before);
	char **scratch = weft__pool_alloc((n + 1) * sizeof *scratch);
	memcpy(before, environ, (n + 1) * sizeof *before);
	memcpy(scratch, environ, (n + 1) * sizeof *scratch);
	/* What the claim would do, done on a copy of the array. */
	char **saved = environ;
	environ = scratch;
	scrub_environment();
	char **after = environ;
	environ = saved;
	if (after != scratch)
		return; /* the array itself was replaced: done at each claim */
	prepared.dropped = weft__pool_alloc(n * sizeof *prepared.dropped);
	prepared.dropped_text = weft__pool_alloc(n * sizeof *prepared.dropped_text);
	size_t d = 0;
	for (size_t i = 0; i < n; i++) {
		bool kept = false;
		for (size_t j = 0; after[j] && !kept; j++)
			kept = after[j] == before[i];
		prepared.dropped[i] = !kept;
		if (!kept)
			prepared.dropped_text[d++] = pool_strdup(before[i]);
	}
	for (size_t j = 0; after[j]; j++) {
		bool old = false;
		for (size_t i = 0; i < n && !old; i++)
			old = after[j] == before[i];
		if (!old)
			prepared.rewritten = after[j];
	}
	prepared.environ_at = saved;
	prepared.before = before;
	prepared.nbefore = n;
	prepared.after = after;
}

void weft__children_prepare(void)
{
	prepared.stdin_tty = isatty(0);
	prepared.exchange_flags = exchange_fd >= 0 ? fcntl(exchange_fd, F_GETFD) : -1;
	prepare_environment();
	prepared.ready = true;
}

void weft__children_before_clone(void)
{
	before_fork();
}

void weft__children_in_clone_child(void)
{
	in_child();
}
