/* Start-up and shut-down of the runtime in a target process: attaching the
 * exchange region named by WEFT_SHM_FD, taking control at the first modelled
 * call (so a wrapper shell that inherits LD_PRELOAD stays untouched), pinning
 * the process to one CPU, recording where each loaded object lies for the
 * reports, and ending an execution with a verdict. */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "resident.h"
#include "runtime.h"
#include "clock.h"
#include "atomic_trap.h"
#include "race.h"
#include "spin.h"

#include <errno.h>
#include <link.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

WEFT_HOT struct weft_runtime weft__rt;

static __thread struct weft_thread *self_thread __attribute__((tls_model("initial-exec")));
static int init_state; /* 0 not yet, 1 in progress, 2 done */

struct weft_thread *weft__self(void)
{
	return self_thread;
}

void weft__set_self(struct weft_thread *t)
{
	self_thread = t;
}

const char *weft__exe_path(void)
{
	/* Read once: every child of the fork server has the same. */
	static char exe[sizeof weft__rt.shm->modules[0].path];
	if (!exe[0]) {
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		exe[n > 0 ? n : 0] = '\0';
	}
	return exe;
}

/* Reads the environment given, not environ: with -z initfirst the
 * constructor runs before libc has set environ up. */
static const char *find_env(char **envp, const char *name)
{
	size_t n = strlen(name);
	for (char **e = envp; e && *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static void attach(char **envp)
{
	const char *fd_text = find_env(envp, "WEFT_SHM_FD");
	if (!fd_text)
		return;
	int fd = atoi(fd_text);
	struct stat st;
	if (fstat(fd, &st) != 0 || (size_t)st.st_size < sizeof(struct weft_shm))
		return;
	struct weft_shm *shm =
		mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (shm == MAP_FAILED)
		return;
	if (shm->magic != WEFT_SHM_MAGIC || shm->version != WEFT_PROTOCOL_VERSION ||
	    weft_shm_size(shm->max_steps) > (size_t)st.st_size) {
		static const char msg[] = "weft: the runtime and the weft command are from different "
		                          "versions; use the libweft.so installed with weft\n";
		(void)!write(2, msg, sizeof msg - 1);
		munmap(shm, (size_t)st.st_size);
		return;
	}
	shm->loaded = 1;
	weft__clock_attach(shm);
	weft__children_attach(envp, fd, (size_t)st.st_size);
	weft__rt.shm = shm;
	weft__rt.plan = weft_shm_plan(shm);
	weft__rt.events = weft_shm_events(shm);
}

extern char **environ;

static void init_with(char **envp)
{
	if (__atomic_load_n(&init_state, __ATOMIC_ACQUIRE) == 2)
		return;
	int expected = 0;
	if (!__atomic_compare_exchange_n(&init_state, &expected, 1, false, __ATOMIC_ACQ_REL,
	                                  __ATOMIC_ACQUIRE))
		return; /* re-entered from inside init (dlsym): pass through */
	weft__real_init();
	attach(envp);
	__atomic_store_n(&init_state, 2, __ATOMIC_RELEASE);
}

static void init(void)
{
	init_with(environ);
}

/* glibc passes (argc, argv, envp) to the functions of .init_array. */
__attribute__((constructor(101))) static void weft_constructor(int argc, char **argv,
                                                                char **envp)
{
	(void)argc;
	(void)argv;
	init_with(envp);
}

/* Take control of this process: the first process to get here owns the
 * exchange region; its calling thread becomes thread 0. */
static bool claim(void)
{
	struct weft_shm *shm = weft__rt.shm;
	if (!weft__children_may_claim())
		return false; /* a child of the program: it runs outside weft */
	int32_t none = 0, pid = weft__children_owner();
	if (!__atomic_compare_exchange_n(&shm->claimed_pid, &none, pid, false, __ATOMIC_ACQ_REL,
	                                  __ATOMIC_ACQUIRE))
		return false;
	weft__modules_record(shm);
	weft__unseen_on_claim(shm);
	weft__race_points_on_claim(shm);
	/* Only one thread runs at a time, so keep them all on one CPU: a
	 * hand-off there costs under a microsecond instead of tens. */
	int cpu = weft__exec_mode() == WEFT_EXEC_FIBER ? -1 : sched_getcpu();
	if (cpu >= 0) { /* (fibers: one kernel thread already) */
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(0, sizeof set, &set);
	}
	/* What this process runs (exec, system, posix_spawn) runs without weft. */
	weft__children_on_claim();
	struct weft_thread *main_thread = weft__thread_new(0);
	main_thread->shared->tid = (int32_t)syscall(SYS_gettid);
	/* Other threads may cancel, join or detach it by its handle. */
	main_thread->handle = pthread_self();
	main_thread->has_handle = true;
	self_thread = main_thread;
	weft__rt.active = true;
	weft__spin_install();
	weft__spin_thread_start(main_thread);
	weft__wrap_on_claim(); /* stops here if a --yield-at spec does not apply */
	return true;
}

/* weft_check's child: take control of the region the parent prepared
 * (inherited through fork) with the calling thread as thread 0. */
bool weft__adopt_region(struct weft_shm *shm)
{
	init();
	weft__rt.shm = shm;
	weft__rt.plan = weft_shm_plan(shm);
	weft__rt.events = weft_shm_events(shm);
	weft__rt.plan_pos = 0;
	shm->loaded = 1;
	weft__clock_attach(shm);
	weft__children_adopt();
	return claim();
}

/* Set once main starts (in each child of the fork server). */
WEFT_HOT static bool main_started;

static bool controlled(bool before_main)
{
	init();
	if (!weft__rt.shm || weft__rt.wrapping)
		return false;
	if (!weft__rt.active) {
		/* Synchronisation in constructors before main (libstdc++'s locale
		 * set-up, a global pthread_mutex_init) runs single-threaded: it
		 * takes the real calls, keeping the fork server and the traces
		 * clean. Creating a thread before main still takes control. */
		if (!main_started && !before_main)
			return false;
		if (weft__rt.shm->claimed_pid != 0 || !claim())
			return false;
	}
	return self_thread != NULL && !self_thread->exited;
}

bool weft__controlled(void)
{
	return controlled(false);
}

bool weft__controlled_create(void)
{
	return controlled(true);
}

bool weft__time_virtual(void)
{
	init();
	return weft__rt.shm && (weft__rt.active || weft__rt.shm->claimed_pid == 0);
}

_Noreturn static void end_execution(void)
{
	weft__execution_end(WEFT_RUNTIME_EXIT_STATUS);
}

void weft__fail(enum weft_bug_kind kind, const char *fmt, ...)
{
	struct weft_shm *shm = weft__rt.shm;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(shm->message, sizeof shm->message, fmt, ap);
	va_end(ap);
	shm->bug = kind;
	end_execution();
}

void weft__unsupported(const char *call)
{
	struct weft_shm *shm = weft__rt.shm;
	snprintf(shm->message, sizeof shm->message, "%s", call);
	shm->unsupported = 1;
	end_execution();
}

void weft__process_end(int status, uintptr_t pc)
{
	weft__exit_begin(status, pc, true);
	weft__exit_finish(status);
	weft__execution_end(status);
}

static int (*real_main)(int, char **, char **);

static int main_wrapper(int argc, char **argv, char **envp)
{
	/* Returns at once unless weft asked for a fork server; then it returns
	 * in each child, which runs main as a fresh execution. */
	weft__forkserver_serve();
	main_started = true;
	int status = weft__run_main(real_main, argc, argv, envp);
	/* glibc calls exit(status) next, outside any hook: the exit begins here. */
	weft__exit_begin(status, 0, true);
	return status;
}

int __libc_start_main(int (*main)(int, char **, char **), int argc, char **argv,
                      void (*init_fn)(void), void (*fini)(void), void (*rtld_fini)(void),
                      void *stack_end)
{
	init();
	real_main = main;
	/* Every object is loaded and relocated, main has not run: redirect the
	 * functions named with --yield-at (wrap.c). */
	weft__wrap_install();
	/* The same moment: trap the inline atomics (atomic_trap.c). */
	weft__trap_install();
	return weft__real.__libc_start_main(main_wrapper, argc, argv, init_fn, fini,
	                                    weft__exit_wrap_rtld_fini(rtld_fini), stack_end);
}

void exit(int status)
{
	weft__exit_begin(status, (uintptr_t)__builtin_return_address(0), false);
	weft__real.exit(status);
	__builtin_unreachable();
}

void _exit(int status)
{
	weft__exit_begin(status, (uintptr_t)__builtin_return_address(0), false);
	weft__exit_finish(status);
	weft__execution_end(status);
	__builtin_unreachable();
}

void _Exit(int status)
{
	weft__exit_begin(status, (uintptr_t)__builtin_return_address(0), false);
	weft__exit_finish(status);
	weft__execution_end(status);
	__builtin_unreachable();
}
