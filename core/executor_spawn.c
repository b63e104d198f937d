/* The exec-per-execution executor: every execution is a fresh process
 * started with posix_spawn, LD_PRELOAD set to the runtime and WEFT_SHM_FD
 * naming the exchange region (a memfd mapped once and reused). The wait uses
 * a pidfd so the end of the target is seen at once, and polls the region's
 * step counter as a watchdog: a target whose running thread makes no step
 * for hang_timeout seconds is stuck in something weft does not control. */
#define _GNU_SOURCE
#include "executor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bug_stacks.h"
#include "interrupt.h"
#include "procinfo.h"
#include "syscall_names.h"

extern char **environ;

struct weft_executor {
	const struct weft_config *config;
	struct weft_shm *shm;
	size_t shm_size;
	int shm_fd;
	int output_fd; /* memfd receiving the target's stdout and stderr, in the order written */
	int null_fd;
	char **envp;
	char *env_preload, *env_fd, *env_parent;
	/* fork server (see interpose/forkserver.c) */
	bool forking;
	pid_t server;
	pid_t resident; /* the server's child that last answered (it may serve many executions) */
	int control_fd; /* we write requests */
	int status_fd;  /* we read pids and wait statuses */
	/* the CPUs this process could use before pin_to_one_cpu() */
	cpu_set_t saved_cpus;
	bool pinned, floating;
	bool restoring; /* the last execution ran in a process restored in place */
	struct {        /* while restoring: the placement tried or kept */
		bool started;
		int trial; /* 2: warming up (free), 1: free, 0: one CPU, -1: keeping the better one
		            */
		unsigned execs;
		double since, rate[2];
	} place;
	double pinned_at;
	unsigned long long oom_kills_seen; /* /proc/vmstat's oom_kill when last read */
	double deadline;                   /* --time-limit's end, 0 = none */
};

static bool start_server(struct weft_executor *ex, char *err, size_t errlen);
static void stop_server(struct weft_executor *ex);
static bool run_forked(struct weft_executor *ex, struct weft_run_outcome *out, char *err,
                       size_t errlen, void (*meanwhile)(void *), void *arg);
static void spin_for_request(struct weft_executor *ex);
static int spawn_target(struct weft_executor *ex, char **envp, pid_t *pid);
static void describe_stuck_thread(pid_t pid, const struct weft_shm *shm, char *buf, size_t len);

/* fd moved to 3 or above (closing the original), or -1. */
static int weft_fd_above_stdio(int fd, bool cloexec)
{
	if (fd < 0 || fd > 2)
		return fd;
	int moved = fcntl(fd, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, 3);
	close(fd);
	return moved;
}

/* Whether the target gets a process group of its own: always, except when
 * its standard input is our terminal, which a background group may not
 * read (replays and --show-output runs keep the terminal). */
static bool own_group(const struct weft_executor *ex)
{
	return !ex->config->show_output || !isatty(0);
}

/* End what an execution left behind in its process group. Called while the
 * execution's own pid is not yet reaped, so the group's id is not reused. */
static void end_group(const struct weft_executor *ex, pid_t pid)
{
	if (own_group(ex))
		kill(-pid, SIGKILL);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char **build_environment(struct weft_executor *ex)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **envp = calloc(n + 4, sizeof *envp);
	if (!envp)
		return NULL;
	const char *old_preload = getenv("LD_PRELOAD");
	const char *runtime = ex->config->runtime_path ? ex->config->runtime_path : "";
	size_t len = strlen(runtime) + (old_preload ? strlen(old_preload) : 0) + 16;
	ex->env_preload = malloc(len);
	ex->env_fd = malloc(32);
	ex->env_parent = malloc(32);
	if (!ex->env_preload || !ex->env_fd || !ex->env_parent) {
		free(envp);
		return NULL;
	}
	if (old_preload && *old_preload)
		snprintf(ex->env_preload, len, "LD_PRELOAD=%s:%s", runtime, old_preload);
	else
		snprintf(ex->env_preload, len, "LD_PRELOAD=%s", runtime);
	snprintf(ex->env_fd, 32, "WEFT_SHM_FD=%d", ex->shm_fd);
	/* The process we start dies with us (interpose/children.c). */
	snprintf(ex->env_parent, 32, "WEFT_PARENT=%d", (int)getpid());
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11) != 0 &&
		    strncmp(environ[i], "WEFT_SHM_FD=", 12) != 0 &&
		    strncmp(environ[i], "WEFT_PARENT=", 12) != 0 &&
		    strncmp(environ[i], "WEFT_FORKSERVER=", 16) != 0)
			envp[k++] = environ[i];
	envp[k++] = ex->env_preload;
	envp[k++] = ex->env_fd;
	envp[k++] = ex->env_parent;
	envp[k] = NULL;
	return envp;
}

/* Only one of the explorer, the fork server and the execution's threads
 * runs at any time, and each hands over to the next: on one CPU a wake-up
 * costs about a microsecond, across CPUs tens (the runtime also keeps an
 * execution's threads on the CPU it starts on). So the explorer and its
 * server stay on one CPU: the one we run on, or for worker k of -j the k-th
 * one we may use, so that workers spread. A CPU that other work keeps busy
 * would hold us back for good, so every REPIN_SECONDS one execution runs
 * free and we settle where the kernel put us. The previous set comes back
 * on close, which matters for weft_check inside a test process.
 * A process restored in place is the exception: it puts itself back after
 * it answered, while the explorer reads the execution and chooses the
 * next, and on two CPUs the two overlap (measured on a 2-core VM: the
 * N = 8 mutex counter in 0.8 of the time, the instrumented f_lastzero
 * N = 12 in 0.66, weft_check's counter in 0.75), unless the wake-ups
 * across CPUs cost more than the overlap saves, as they do on the same VM
 * at busy times. So while executions are restored in place, the two CPUs
 * are tried for FREE_TRIAL_SECONDS, one for ONE_TRIAL_SECONDS (shorter: a
 * thousand executions tell, and on most machines it is the slower, by a
 * quarter for the instrumented e_indexer N = 15 on a 2-core VM), and the
 * placement that ran more executions a second is kept for KEEP_SECONDS
 * before both are tried again; workers of -j keep their CPU, since the
 * workers fill the CPUs already. The first WARM_SECONDS run free and are
 * not measured: the first executions fault pages in and protect them
 * again (their rate varied from 7,000 to 18,000 a second there), and a
 * run that ends within a second gains little from a trial, which costs a
 * switch of placement and a stretch on the slower one (the instrumented
 * e_indexer N = 15, a quarter of a second, took a fifth less time with no
 * trial). One CPU is kept only when it ran ONE_CPU_MARGIN times as many
 * executions a second, so that noise in the short trials does not settle
 * on it. */
#define REPIN_SECONDS 0.2
#define WARM_SECONDS 0.5
#define ONE_CPU_MARGIN 1.1
#define FREE_TRIAL_SECONDS 0.1
#define ONE_TRIAL_SECONDS 0.05
#define KEEP_SECONDS 2.5

static void set_cpus(struct weft_executor *ex, const cpu_set_t *set)
{
	sched_setaffinity(0, sizeof *set, set);
	if (ex->server > 0)
		sched_setaffinity(ex->server, sizeof *set, set);
	/* A child that restores in place serves execution after execution:
	 * it keeps the set it was forked with unless told. */
	if (ex->resident > 0)
		sched_setaffinity(ex->resident, sizeof *set, set);
}

static void pin_to(struct weft_executor *ex, int cpu)
{
	if (cpu < 0 || !CPU_ISSET(cpu, &ex->saved_cpus))
		return;
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	set_cpus(ex, &one);
	ex->pinned = true;
	ex->floating = false;
	ex->pinned_at = now();
}

static void pin_to_one_cpu(struct weft_executor *ex)
{
	if (sched_getaffinity(0, sizeof ex->saved_cpus, &ex->saved_cpus) != 0)
		return;
	int count = CPU_COUNT(&ex->saved_cpus), cpu = -1;
	if (count <= 1)
		return;
	if (ex->config->worker > 0) {
		int want = (int)((ex->config->worker - 1) % (uint32_t)count);
		for (int c = 0; c < CPU_SETSIZE && cpu < 0; c++)
			if (CPU_ISSET(c, &ex->saved_cpus) && want-- == 0)
				cpu = c;
	} else {
		cpu = sched_getcpu();
	}
	pin_to(ex, cpu);
}

static void place_free(struct weft_executor *ex, bool free)
{
	if (free && !ex->floating) {
		set_cpus(ex, &ex->saved_cpus);
		ex->floating = true;
	} else if (!free && ex->floating) {
		pin_to(ex, sched_getcpu());
	}
}

/* Before an execution restored in place: the trials and the keeping of
 * the faster placement (see above). */
static void place_restoring(struct weft_executor *ex)
{
	double t = now();
	if (!ex->place.started) {
		ex->place.started = true;
		ex->place.trial = 2;
		ex->place.since = t;
		ex->place.execs = 0;
		place_free(ex, true);
		return;
	}
	ex->place.execs++;
	double span = t - ex->place.since;
	double lasts = ex->place.trial == 2   ? WARM_SECONDS
	               : ex->place.trial == 1 ? FREE_TRIAL_SECONDS
	               : ex->place.trial == 0 ? ONE_TRIAL_SECONDS
	                                      : KEEP_SECONDS;
	if (span < lasts)
		return;
	if (ex->place.trial == 2) {
		ex->place.trial = 1;
	} else if (ex->place.trial >= 0) {
		ex->place.rate[ex->place.trial] = ex->place.execs / span;
		ex->place.trial--;
		if (ex->place.trial == 0)
			place_free(ex, false);
		else
			place_free(ex, ex->place.rate[0] <= ex->place.rate[1] * ONE_CPU_MARGIN);
	} else {
		ex->place.trial = 1;
		place_free(ex, true);
	}
	ex->place.since = t;
	ex->place.execs = 0;
}

/* Before each execution: let one run free now and then, then settle. */
static void repin(struct weft_executor *ex)
{
	if (!ex->pinned || ex->config->worker > 0)
		return;
	if (ex->restoring) {
		place_restoring(ex);
		return;
	}
	ex->place.started = false;
	if (ex->floating)
		pin_to(ex, sched_getcpu());
	else if (now() - ex->pinned_at > REPIN_SECONDS) {
		set_cpus(ex, &ex->saved_cpus);
		ex->floating = true;
	}
}

struct weft_executor *weft_executor_open(const struct weft_config *config, char *err, size_t errlen)
{
	struct weft_executor *ex = calloc(1, sizeof *ex);
	if (!ex) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ex->config = config;
	ex->shm_fd = ex->output_fd = ex->null_fd = -1;
	ex->control_fd = ex->status_fd = -1;
	ex->shm_size = weft_shm_size(config->max_steps);
	ex->shm_fd = memfd_create("weft-exchange", 0);
	ex->output_fd = memfd_create("weft-output", MFD_CLOEXEC);
	ex->null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	/* With stdin, stdout or stderr closed these would land on 0, 1 or 2,
	 * which the target's redirections overwrite. */
	ex->shm_fd = weft_fd_above_stdio(ex->shm_fd, false);
	ex->output_fd = weft_fd_above_stdio(ex->output_fd, true);
	ex->null_fd = weft_fd_above_stdio(ex->null_fd, true);
	if (ex->shm_fd < 0 || ex->output_fd < 0 || ex->null_fd < 0 ||
	    ftruncate(ex->shm_fd, (off_t)ex->shm_size) != 0) {
		snprintf(err, errlen, "cannot create the exchange region: %s", strerror(errno));
		goto fail;
	}
	ex->shm = mmap(NULL, ex->shm_size, PROT_READ | PROT_WRITE, MAP_SHARED, ex->shm_fd, 0);
	if (ex->shm == MAP_FAILED) {
		ex->shm = NULL;
		snprintf(err, errlen,
		         "cannot map the exchange region (%zu bytes, --max-steps %u): %s",
		         ex->shm_size, config->max_steps, strerror(errno));
		goto fail;
	}
	ex->shm->magic = WEFT_SHM_MAGIC;
	ex->shm->version = WEFT_PROTOCOL_VERSION;
	ex->shm->size = (uint32_t)sizeof(struct weft_shm);
	ex->shm->max_steps = config->max_steps;
	ex->shm->options = config->adversarial_time ? WEFT_OPT_TIME_ADVERSARIAL : 0;
	if (!config->is_replay)
		ex->shm->options |= WEFT_OPT_PLAN_ADVISORY;
	ex->shm->spurious_wakeups = config->spurious_wakeups;
	ex->shm->time_start_ns = config->time_start_ns;
	ex->shm->nwrapped =
	    config->nwrapped < WEFT_MAX_WRAPPED ? config->nwrapped : WEFT_MAX_WRAPPED;
	if (ex->shm->nwrapped)
		memcpy(ex->shm->wrapped, config->wrapped,
		       ex->shm->nwrapped * sizeof *config->wrapped);
	ex->envp = build_environment(ex);
	ex->oom_kills_seen = weft_oom_kills();
	pin_to_one_cpu(ex);
	if (!ex->envp) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if ((config->fork_server || config->launch_serve) && !start_server(ex, err, errlen))
		goto fail;
	return ex;
fail:
	weft_executor_close(ex);
	return NULL;
}

void weft_executor_set_deadline(struct weft_executor *ex, double deadline)
{
	ex->deadline = deadline;
}

/* Why the wait for an execution must stop now, or NULL: weft was
 * interrupted, or the run's time limit came. */
static const char *must_stop(const struct weft_executor *ex)
{
	if (weft_interrupted())
		return "interrupted";
	if (ex->deadline > 0 && now() >= ex->deadline)
		return "time limit";
	return NULL;
}

struct weft_shm *weft_executor_shm(struct weft_executor *ex)
{
	return ex->shm;
}

/* Clear what the last execution wrote: the scalars, and only the records
 * it used (the tables are large and an execution uses few entries). */
static void reset_region(struct weft_shm *shm)
{
	uint32_t nthreads = shm->nthreads < WEFT_MAX_THREADS ? shm->nthreads : WEFT_MAX_THREADS;
	uint32_t nobjects = shm->nobjects < WEFT_MAX_OBJECTS ? shm->nobjects : WEFT_MAX_OBJECTS;
	/* Not the request word: the reader may be changing it now. */
	size_t from = offsetof(struct weft_shm, loaded), word = offsetof(struct weft_shm, requested);
	memset((char *)shm + from, 0, word - from);
	from = word + sizeof shm->requested;
	memset((char *)shm + from, 0, offsetof(struct weft_shm, threads) - from);
	memset(shm->threads, 0, nthreads * sizeof shm->threads[0]);
	memset(shm->objects, 0, nobjects * sizeof shm->objects[0]);
}

/* Say what the stuck thread is doing, from /proc: the system call it sits
 * in, or that it runs without making any call. */
static void describe_stuck_thread(pid_t pid, const struct weft_shm *shm, char *buf, size_t len)
{
	pid_t tid = pid;
	if (shm->claimed_pid == pid && shm->current < shm->nthreads &&
	    shm->threads[shm->current].tid > 0)
		tid = shm->threads[shm->current].tid;
	char path[64], text[256] = "";
	snprintf(path, sizeof path, "/proc/%d/task/%d/syscall", (int)pid, (int)tid);
	FILE *f = fopen(path, "r");
	if (f) {
		if (!fgets(text, sizeof text, f))
			text[0] = '\0';
		fclose(f);
	}
	long nr;
	if (sscanf(text, "%ld", &nr) == 1 && nr >= 0) {
		const char *name = weft_syscall_name(nr);
		if (name)
			snprintf(buf, len, "the system call %s()", name);
		else
			snprintf(buf, len, "system call number %ld", nr);
	} else if (strncmp(text, "running", 7) == 0) {
		snprintf(buf, len, "a loop that makes no call weft sees (spinning on memory?)");
	} else {
		snprintf(buf, len, "a call weft does not control");
	}
}

/* The watchdog: the target's step counter must move at least once every
 * hang_timeout seconds, while the running thread is given the CPU. A thread
 * that is runnable (or stopped) but was given almost no CPU time in that
 * window is starved by a loaded machine, not stuck: the window starts
 * again, up to STARVED_WINDOWS times. */
#define STARVED_WINDOWS 10

struct watchdog {
	uint32_t last_steps;
	double last_change;
	bool mid_read;             /* the CPU time half-way through the window was read */
	unsigned long long mid_ns; /* the running thread's CPU time then */
	unsigned starved;          /* windows started again */
};

/* True (and the target killed, its stuck call described in out) when the
 * target made no step for too long. */
static bool stuck(struct weft_executor *ex, pid_t pid, struct watchdog *w,
                  struct weft_run_outcome *out)
{
	uint32_t steps = __atomic_load_n(&ex->shm->nsteps, __ATOMIC_ACQUIRE);
	double t = now();
	char state;
	if (steps != w->last_steps) {
		w->last_steps = steps;
		w->last_change = t;
		w->mid_read = false;
		return false;
	}
	double idle = t - w->last_change;
	if (!w->mid_read && idle > ex->config->hang_timeout / 2) {
		w->mid_ns = weft_thread_cpu(pid, weft_running_tid(pid, ex->shm), &state);
		w->mid_read = true;
	}
	if (idle <= ex->config->hang_timeout)
		return false;
	unsigned long long cpu = weft_thread_cpu(pid, weft_running_tid(pid, ex->shm), &state);
	/* Runnable, or stopped (SIGSTOP, a debugger): waiting for the CPU. */
	bool waits_for_cpu = state == 'R' || state == 'T' || state == 't';
	if (waits_for_cpu && w->mid_read && cpu >= w->mid_ns && w->starved < STARVED_WINDOWS &&
	    (double)(cpu - w->mid_ns) * 1e-9 < 0.05 * ex->config->hang_timeout) {
		/* Runnable, yet given under a tenth of the second half-window. */
		w->starved++;
		w->last_change = t;
		w->mid_read = false;
		return false;
	}
	out->hang = true;
	describe_stuck_thread(pid, ex->shm, out->hang_call, sizeof out->hang_call);
	struct weft_shm *shm = ex->shm;
	uint64_t stack[WEFT_STACK_DEPTH];
	bool walked = shm->claimed_pid == pid && shm->current < shm->nthreads &&
	              shm->current < WEFT_MAX_THREADS && shm->threads[shm->current].tid > 0 &&
	              weft_remote_stack(pid, shm->threads[shm->current].tid, stack);
	kill(pid, SIGKILL);
	if (walked) { /* the thread has nothing more to write there */
		memcpy(shm->threads[shm->current].stack, stack, sizeof stack);
		shm->threads[shm->current].stopped_here = 1;
	}
	return true;
}

static int pidfd_open_compat(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

/* weft_check: the execution is a fork of this very process. */
static int fork_launch(struct weft_executor *ex, pid_t *pid)
{
	fflush(NULL); /* or the child would print our buffered output again */
	pid_t child = fork();
	if (child < 0)
		return errno;
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (!ex->config->show_output) {
			dup2(ex->null_fd, 0);
			dup2(ex->output_fd, 1);
			dup2(ex->output_fd, 2);
		}
		ex->config->launch(ex->config->launch_arg, ex->shm);
		_exit(127); /* launch never returns */
	}
	*pid = child;
	return 0;
}

static int spawn_target(struct weft_executor *ex, char **envp, pid_t *pid)
{
	const struct weft_config *config = ex->config;
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	if (!config->show_output) {
		posix_spawn_file_actions_adddup2(&actions, ex->null_fd, 0);
		/* One file for both streams keeps their order as written. */
		posix_spawn_file_actions_adddup2(&actions, ex->output_fd, 1);
		posix_spawn_file_actions_adddup2(&actions, ex->output_fd, 2);
	}
	if (config->launch) {
		posix_spawn_file_actions_destroy(&actions);
		return fork_launch(ex, pid);
	}
	const char *file = config->program ? config->program : config->argv[0];
	posix_spawnattr_t attr;
	posix_spawnattr_init(&attr);
	if (own_group(ex)) {
		/* The terminal's ^C then reaches weft alone, which ends the run in
		 * order; and the group is what end_group() ends. */
		posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
		posix_spawnattr_setpgroup(&attr, 0);
	}
	int rc = posix_spawn(pid, file, &actions, &attr, config->argv, envp);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&actions);
	return rc;
}

static void set_outcome(struct weft_executor *ex, struct weft_run_outcome *out, int status)
{
	if (WIFSIGNALED(status)) {
		out->signaled = true;
		out->signal = WTERMSIG(status);
		out->exit_status = -1;
		/* A SIGKILL that weft did not send: the out-of-memory killer's if
		 * the kernel counted a kill during the run. */
		if (out->signal == SIGKILL && !out->hang) {
			unsigned long long kills = weft_oom_kills();
			out->oom_killed = kills > ex->oom_kills_seen;
			ex->oom_kills_seen = kills;
		}
	} else {
		out->exit_status = WEXITSTATUS(status);
	}
}

bool weft_executor_run(struct weft_executor *ex, struct weft_run_outcome *out, char *err,
                       size_t errlen)
{
	return weft_executor_run_beside(ex, out, err, errlen, NULL, NULL);
}

bool weft_executor_run_beside(struct weft_executor *ex, struct weft_run_outcome *out, char *err,
                              size_t errlen, void (*meanwhile)(void *), void *arg)
{
	const struct weft_config *config = ex->config;
	memset(out, 0, sizeof *out);
	repin(ex);
	reset_region(ex->shm);
	/* Forked children do not run the runtime's constructor again: the
	 * server's word that it loaded stands for them. */
	ex->shm->loaded = ex->forking;
	/* Most executions print nothing: then the capture is empty already. */
	off_t written = lseek(ex->output_fd, 0, SEEK_END);
	if (written != 0 &&
	    (ftruncate(ex->output_fd, 0) != 0 || lseek(ex->output_fd, 0, SEEK_SET) != 0)) {
		snprintf(err, errlen, "cannot reset the output capture: %s", strerror(errno));
		return false;
	}
	if (ex->forking) {
		spin_for_request(ex);
		return run_forked(ex, out, err, errlen, meanwhile, arg);
	}
	pid_t pid;
	int rc = spawn_target(ex, ex->envp, &pid);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start %s: %s", config->argv[0], strerror(rc));
		return false;
	}
	int pidfd = pidfd_open_compat(pid);
	if (meanwhile)
		meanwhile(arg);
	struct watchdog watch = {.last_change = now()};
	int status = 0;
	for (;;) {
		if (pidfd >= 0) {
			struct pollfd p = {.fd = pidfd, .events = POLLIN};
			poll(&p, 1, 100);
		} else {
			struct timespec ts = {0, 1000000};
			nanosleep(&ts, NULL);
		}
		siginfo_t info;
		info.si_pid = 0;
		int w = waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT);
		if (w == 0 && info.si_pid == pid) {
			end_group(ex, pid);
			waitpid(pid, &status, 0);
			break;
		}
		if (w < 0 && errno != EINTR) {
			snprintf(err, errlen, "waiting for %s: %s", config->argv[0],
			         strerror(errno));
			if (pidfd >= 0)
				close(pidfd);
			return false;
		}
		const char *why = must_stop(ex);
		if (why) {
			kill(pid, SIGKILL);
			end_group(ex, pid);
			waitpid(pid, &status, 0);
			if (pidfd >= 0)
				close(pidfd);
			snprintf(err, errlen, "%s", why);
			return false;
		}
		if (stuck(ex, pid, &watch, out)) {
			end_group(ex, pid);
			waitpid(pid, &status, 0);
			break;
		}
	}
	if (pidfd >= 0)
		close(pidfd);
	set_outcome(ex, out, status);
	return true;
}

char *weft_executor_output_tail(struct weft_executor *ex, size_t max_bytes)
{
	off_t size = lseek(ex->output_fd, 0, SEEK_END);
	if (size <= 0)
		return NULL;
	size_t n = (size_t)size < max_bytes ? (size_t)size : max_bytes;
	char *buf = malloc(n + 1);
	if (!buf)
		return NULL;
	ssize_t got = pread(ex->output_fd, buf, n, size - (off_t)n);
	if (got < 0)
		got = 0;
	buf[got] = '\0';
	return buf;
}

void weft_executor_close(struct weft_executor *ex)
{
	if (!ex)
		return;
	stop_server(ex);
	if (ex->pinned)
		sched_setaffinity(0, sizeof ex->saved_cpus, &ex->saved_cpus);
	if (ex->shm)
		munmap(ex->shm, ex->shm_size);
	if (ex->shm_fd >= 0)
		close(ex->shm_fd);
	if (ex->output_fd >= 0)
		close(ex->output_fd);
	if (ex->null_fd >= 0)
		close(ex->null_fd);
	free(ex->envp);
	free(ex->env_preload);
	free(ex->env_fd);
	free(ex->env_parent);
	free(ex);
}

/* --- the fork server's client side (the server is interpose/forkserver.c) --- */

static bool read_word(int fd, int32_t *w, double timeout)
{
	size_t got = 0;
	while (got < sizeof *w) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int rc = poll(&p, 1, timeout < 0 ? -1 : (int)(timeout * 1000));
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return false;
		ssize_t n = read(fd, (char *)w + got, sizeof *w - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

static void close_server_fds(struct weft_executor *ex)
{
	if (ex->control_fd >= 0)
		close(ex->control_fd);
	if (ex->status_fd >= 0)
		close(ex->status_fd);
	ex->control_fd = ex->status_fd = -1;
}

static void stop_server(struct weft_executor *ex)
{
	close_server_fds(ex);
	if (ex->server > 0) {
		/* The server exits when its control pipe closes. */
		waitpid(ex->server, NULL, 0);
		ex->server = 0;
	}
	ex->forking = false;
}

/* Start the program once as a fork server. A program that cannot serve
 * (threads before main, the runtime not loaded, a script that execs)
 * falls back to one process per execution. */
static bool start_server(struct weft_executor *ex, char *err, size_t errlen)
{
	int control[2], status[2];
	if (pipe2(control, O_CLOEXEC) != 0 || pipe2(status, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "cannot create the fork server's pipes: %s", strerror(errno));
		return false;
	}
	/* The server's ends must survive exec: give it copies without CLOEXEC. */
	int server_control = fcntl(control[0], F_DUPFD, 3);
	int server_status = fcntl(status[1], F_DUPFD, 3);
	close(control[0]);
	close(status[1]);
	ex->control_fd = control[1];
	ex->status_fd = status[0];
	if (ex->config->launch_serve) {
		/* weft_check: the server is a fork of this very process. */
		fflush(NULL);
		ex->shm->claimed_pid = 0;
		pid_t pid = fork();
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(control[1]);
			close(status[0]);
			if (!ex->config->show_output) {
				dup2(ex->null_fd, 0);
				dup2(ex->output_fd, 1);
				dup2(ex->output_fd, 2);
			}
			ex->config->launch_serve(ex->config->launch_arg, ex->shm, server_control,
			                         server_status);
			_exit(127); /* it never returns */
		}
		close(server_control);
		close(server_status);
		if (pid < 0) {
			snprintf(err, errlen, "cannot fork: %s", strerror(errno));
			close_server_fds(ex);
			return false;
		}
		ex->server = pid;
		int32_t ready = 0;
		if (read_word(ex->status_fd, &ready, ex->config->hang_timeout) && ready == 1) {
			ex->forking = true;
			return true;
		}
		snprintf(err, errlen, "the check's fork server did not start");
		close_server_fds(ex);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		ex->server = 0;
		return false;
	}
	char var[64];
	snprintf(var, sizeof var, "WEFT_FORKSERVER=%d,%d", server_control, server_status);
	size_t n = 0;
	while (ex->envp[n])
		n++;
	char **envp = calloc(n + 2, sizeof *envp);
	int rc = ENOMEM;
	if (envp) {
		memcpy(envp, ex->envp, n * sizeof *envp);
		envp[n] = var;
		memset(ex->shm->message, 0, sizeof ex->shm->message);
		ex->shm->claimed_pid = 0;
		rc = spawn_target(ex, envp, &ex->server);
		free(envp);
	}
	close(server_control);
	close(server_status);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start %s: %s", ex->config->argv[0], strerror(rc));
		close_server_fds(ex);
		return false;
	}
	int32_t ready = 0;
	if (read_word(ex->status_fd, &ready, ex->config->hang_timeout) && ready == 1) {
		ex->forking = true;
		return true;
	}
	/* No server: the program ran (or is running) main once by itself. */
	close_server_fds(ex);
	kill(ex->server, SIGKILL);
	end_group(ex, ex->server);
	waitpid(ex->server, NULL, 0);
	ex->server = 0;
	if (ready == 0 && ex->shm->loaded)
		fprintf(stderr,
		        "weft: note: %s starts threads before main or cannot fork; "
		        "running one process per execution\n",
		        ex->config->argv[0]);
	return true;
}

/* The status of the execution: the pids the server sends before it
 * (protocol.h) are kept in ex->resident; false when nothing came within
 * the timeout, or when the fork failed (*failed). */
static bool read_status(struct weft_executor *ex, int32_t *status, double timeout, bool *failed)
{
	int32_t word;
	while (read_word(ex->status_fd, &word, timeout)) {
		if (word < 0) {
			*failed = true;
			return false;
		}
		if (!WEFT_IS_PID_WORD(word)) {
			*status = word;
			return true;
		}
		ex->resident = WEFT_PID_OF_WORD(word);
	}
	return false;
}

/* While executions are restored in place and the explorer runs free of
 * the process's CPU: the status is due within a few hundred microseconds,
 * and watching the region for it (the process posts it there) keeps this
 * CPU awake instead of having the process wake it from idle, which costs
 * both sides on virtual machines. After SPIN_SECONDS the pipe is read as
 * always. */
#define SPIN_SECONDS 0.0002

static void await_answer(struct weft_executor *ex)
{
	double until = now() + SPIN_SECONDS;
	for (unsigned i = 1; !__atomic_load_n(&ex->shm->answered, __ATOMIC_ACQUIRE); i++) {
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
		if (i % 64 == 0 && now() > until)
			return;
	}
}

static bool run_forked(struct weft_executor *ex, struct weft_run_outcome *out, char *err,
                       size_t errlen, void (*meanwhile)(void *), void *arg)
{
	const struct weft_config *config = ex->config;
	int32_t request = 1, status = 0;
	bool failed = false;
	/* Posted in the region while the reader will look there, else on the
	 * pipe where it sleeps (protocol.h). */
	uint32_t seen = WEFT_REQUEST_IDLE;
	if (!__atomic_compare_exchange_n(&ex->shm->requested, &seen, WEFT_REQUEST_POSTED, false,
	                                 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) &&
	    write(ex->control_fd, &request, sizeof request) != (ssize_t)sizeof request) {
		snprintf(err, errlen, "the fork server of %s stopped answering", config->argv[0]);
		return false;
	}
	if (meanwhile)
		meanwhile(arg);
	if (ex->restoring && ex->floating)
		await_answer(ex);
	/* Posted in the region, or from now on written on the pipe. */
	seen = WEFT_ANSWER_NONE;
	bool posted = !__atomic_compare_exchange_n(&ex->shm->answered, &seen, WEFT_ANSWER_PIPE,
	                                           false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) &&
	              seen == WEFT_ANSWER_POSTED;
	if (posted)
		status = ex->shm->answer;
	/* The pid of the execution's process: a new one is sent before the
	 * execution's status; a resident process restored in place keeps its
	 * own and sends none. */
	struct watchdog watch = {.last_change = now()};
	double started = watch.last_change;
	for (; !posted;) {
		if (read_status(ex, &status, 0.1, &failed))
			break;
		if (failed || (ex->resident <= 0 && now() - started > config->hang_timeout)) {
			snprintf(err, errlen, "the fork server of %s stopped answering",
			         config->argv[0]);
			return false;
		}
		if (ex->resident <= 0)
			continue;
		pid_t pid = ex->resident;
		const char *why = must_stop(ex);
		if (why) {
			/* The server reaps it and ends its group. */
			kill(pid, SIGKILL);
			read_status(ex, &status, 1.0, &failed);
			snprintf(err, errlen, "%s", why);
			return false;
		}
		if (stuck(ex, pid, &watch, out)) {
			/* The server answers for the process it killed; a resident
			 * one (restored in place) killed just as it answered leaves
			 * nothing to read: it was killed all the same. */
			if (!read_status(ex, &status, 5.0, &failed))
				status = SIGKILL;
			break;
		}
	}
	set_outcome(ex, out, status);
	ex->restoring = ex->shm->exec_model == WEFT_EXEC_MODEL_RESTORE ||
	                ex->shm->exec_model == WEFT_EXEC_MODEL_SNAPSHOT;
	return true;
}

/* Whether the process restored in place may spin for the next request:
 * only while it has a CPU of its own. */
static void spin_for_request(struct weft_executor *ex)
{
	ex->shm->spin_for_request = ex->restoring && ex->floating && ex->config->worker == 0;
}
