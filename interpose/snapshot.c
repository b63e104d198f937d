/* Snapshots at the first branch point (fibers only). With every program
 * thread a fiber, the execution is one kernel thread, so fork() at any step
 * copies the whole program state. Every execution of a DFS or DPOR
 * exploration runs the same steps up to its first choice, so the first
 * execution forks a snapshot process there, and the fork server hands
 * later executions to it: each starts at that step instead of at main, and
 * a program that computes for long before its threads meet pays that once.
 *
 * The snapshot process S (a child of the first execution, outliving it)
 * waits on a pipe from the fork server; for a request it forks the
 * execution, which puts back what the exchange region held at the branch
 * point (the runtime's part, saved before the fork, since the explorer
 * clears it before every execution) and goes on. Where the process can
 * restore in place (restore.h), that child C takes its snapshot there, at
 * the branch point, and serves the explorer itself, on the explorer's own
 * pipes and the region's words as a resident process does (resident.c):
 * at the end of every execution it answers the status, puts itself back as
 * it was at the branch point and takes the next request, so that no
 * execution after the first forks and none passes through another
 * process. Meanwhile the fork server waits on S's reply pipe. S waits for
 * C to end (a crash, something the restore cannot put back, a request it
 * cannot serve from the branch point), and tells the server: the status
 * of the execution C left unanswered, or that the server has the pipes
 * back, or that it must run the request C took from main. Where C cannot
 * restore, S forks every execution and relays its pid and wait status
 * through the server, as the server does for its own children.
 *
 * Snapshots are asked for (--snapshots, WEFT_SNAPSHOTS=1): a prefix that
 * changes the world outside the process (writes a file that main removes
 * at its end) would do it once instead of once per execution.
 *
 * When it is not used: kernel threads (a process with several kernel
 * threads cannot be forked whole), policies other than lowest-id (PCT and
 * the random walks draw from a per-execution seed before the first
 * choice), a plan with a choice before the branch point, and a program
 * that holds other file descriptors or shared mappings at the branch point
 * than at its start (an open file's offset, or shared memory, would be
 * shared by every execution), or that has started a child process (which
 * would be the first execution's only). */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "race.h"
#include "restore.h"
#include "runtime.h"
#include "server_io.h"
#include "spin.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t _Fork(void);

/* Where C stands in an execution (S answers for what C owes). */
enum {
	IN_PLACE_IDLE = 0, /* its last execution answered */
	IN_PLACE_RUNNING,  /* asked, or waiting for a request: the status is owed */
	IN_PLACE_PASSED,   /* it took a request that must start from main */
};

/* S's words to the fork server that end a request it handed over, besides
 * the pid and status words it relays (protocol.h): C served the requests
 * since then and ended between two executions (the server reads the
 * explorer's pipes again), or ended holding a request that it could not
 * start from the branch point (the server runs it from main). */
#define REPLY_BACK INT32_MIN
#define REPLY_PASSED (INT32_MIN + 1)

/* Shared by the fork server, the executions and the snapshot process. */
struct snapshot_board {
	int alive;     /* a snapshot process waits for requests */
	uint32_t step; /* its branch point */
	pid_t pid;     /* the snapshot process */
	int state;     /* of C, restoring in place (IN_PLACE_...) */
	int refused;   /* C could not restore: S forks every execution */
	char why[160]; /* and why */
};

static struct snapshot_board *board;
static int request_pipe[2] = {-1, -1}, reply_pipe[2] = {-1, -1};
/* The explorer's pipes (control, status), which the first execution keeps
 * for S, and S for C. */
static int explorer_control = -1, explorer_status = -1;
/* C's last execution started from a restore: its status may go through the
 * region (its first follows its pid word on the pipe). */
static bool post_answers;
/* The execution's descriptors and writable shared mappings when it started. */
static int fds_at_start, shared_maps_at_start;
static bool branched;      /* this execution passed its first branch point */
static pid_t in_place_pid; /* C, the process restored in place at the branch point */

/* The runtime's part of the exchange region at the branch point. */
static char *saved;
static size_t saved_scalars, saved_events;
static uint32_t saved_threads, saved_objects, saved_modules;

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	int n = 0;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* Writable shared mappings: lines of /proc/self/maps whose permissions
 * are "rw-s" or "rwxs". */
static int count_shared_maps(void)
{
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char buf[4096];
	int n = 0, field = 0, column = 0;
	bool writable = false;
	ssize_t got;
	while ((got = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < got; i++) {
			char c = buf[i];
			if (c == '\n') {
				field = column = 0;
				writable = false;
			} else if (c == ' ') {
				field++;
				column = 0;
			} else if (field == 1) {
				if (column == 1)
					writable = c == 'w';
				if (column == 3 && c == 's' && writable)
					n++;
				column++;
			}
		}
	close(fd);
	return n;
}

void weft__snapshot_server_init(void)
{
	/* Asked for with --snapshots (WEFT_SNAPSHOTS=1): what the prefix does
	 * outside the process (a file it writes and later removes) happens
	 * once, not once per execution, which only the user can vouch for. */
	const char *wanted = getenv("WEFT_SNAPSHOTS");
	if (weft__exec_mode() != WEFT_EXEC_FIBER || !wanted || strcmp(wanted, "1") != 0)
		return;
	board =
	    mmap(NULL, sizeof *board, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (board == MAP_FAILED || pipe2(request_pipe, O_CLOEXEC) != 0 ||
	    pipe2(reply_pipe, O_CLOEXEC) != 0) {
		board = NULL;
		return;
	}
}

bool weft__snapshot_child(int control, int status_fd)
{
	if (!board)
		return false;
	/* Only the server writes requests and reads replies: once it is gone,
	 * the snapshot process sees the end of its request pipe. */
	close(request_pipe[1]);
	close(reply_pipe[0]);
	bool keep = !board->alive;
	if (keep) {
		/* Out of the program's way, as a resident process keeps them. */
		explorer_control = weft__restore_high_fd(control);
		explorer_status = weft__restore_high_fd(status_fd);
	}
	fds_at_start = count_fds();
	shared_maps_at_start = count_shared_maps();
	return keep;
}

/* Whether the request in the region can start at the branch point: the
 * lowest-id policy, and no choice in its plan before that step. */
static bool from_branch_point(struct weft_shm *shm)
{
	return shm->policy == WEFT_POLICY_LOWEST &&
	       !(shm->plan_len && weft_shm_plan(shm)[0].step < board->step);
}

const char *weft__snapshot_why_from_main(struct weft_shm *shm)
{
	if (!board || !board->alive)
		return NULL;
	if (shm->policy != WEFT_POLICY_LOWEST)
		return "the randomised and bounded policies draw before the first branch point, "
		       "so their executions start from main (--snapshots keeps no process restored "
		       "there)";
	if (shm->plan_len && weft_shm_plan(shm)[0].step < board->step)
		return "a plan with a choice before the first branch point starts from main "
		       "(--snapshots keeps no process restored there)";
	return NULL;
}

pid_t weft__snapshot_pid(void)
{
	return board && board->alive ? board->pid : 0;
}

bool weft__snapshot_serve(int status_fd, struct weft_shm *shm)
{
	if (!board || !board->alive || !from_branch_point(shm))
		return false;
	int32_t request = 1;
	if (reply_pipe[1] >= 0) {
		/* The snapshot holds the other ends now: without the server's
		 * own copies, its death is an end of file here, not a hang. No
		 * other snapshot is made after it (they need these ends). */
		close(request_pipe[0]);
		close(reply_pipe[1]);
		request_pipe[0] = reply_pipe[1] = -1;
	}
	weft__write_word(request_pipe[1], request);
	/* Relayed as they come (protocol.h): a pid word when a new process
	 * runs the execution, then the wait status; a negative word when it
	 * could not fork, with no status after it. While C serves the
	 * explorer itself, nothing comes until it ends (REPLY_...). */
	bool relayed = false;
	for (;;) {
		int32_t word;
		if (!weft__read_all(reply_pipe[0], &word, sizeof word)) {
			board->alive = 0;
			if (!relayed)
				return false; /* it died before answering: fork from main */
			weft__write_word(status_fd, SIGKILL); /* as if killed */
			return true;
		}
		if (word == REPLY_BACK)
			return true;
		if (word == REPLY_PASSED)
			return false;
		weft__write_word(status_fd, word);
		relayed = true;
		if (!WEFT_IS_PID_WORD(word))
			return true;
	}
}

/* The words through which the explorer and C exchange requests and
 * answers (protocol.h) are theirs, never put back. */
#define WORDS_FROM offsetof(struct weft_shm, answered)
#define WORDS_TO (offsetof(struct weft_shm, requested) + sizeof(uint32_t))

static void save_region(uint32_t step)
{
	struct weft_shm *shm = weft__rt.shm;
	saved_scalars = offsetof(struct weft_shm, threads) - offsetof(struct weft_shm, loaded);
	saved_threads = shm->nthreads;
	saved_objects = shm->nobjects;
	saved_modules = shm->nmodules;
	saved_events = step * sizeof(struct weft_event);
	size_t len = saved_scalars + saved_threads * sizeof shm->threads[0] +
	             saved_objects * sizeof shm->objects[0] +
	             saved_modules * sizeof shm->modules[0] + saved_events;
	saved = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (saved == MAP_FAILED) {
		saved = NULL;
		return;
	}
	char *p = saved;
	memcpy(p, &shm->loaded, saved_scalars);
	p += saved_scalars;
	memcpy(p, shm->threads, saved_threads * sizeof shm->threads[0]);
	p += saved_threads * sizeof shm->threads[0];
	memcpy(p, shm->objects, saved_objects * sizeof shm->objects[0]);
	p += saved_objects * sizeof shm->objects[0];
	memcpy(p, shm->modules, saved_modules * sizeof shm->modules[0]);
	p += saved_modules * sizeof shm->modules[0];
	memcpy(p, weft_shm_events(shm), saved_events);
}

static void restore_region(void)
{
	struct weft_shm *shm = weft__rt.shm;
	const char *p = saved;
	size_t loaded = offsetof(struct weft_shm, loaded);
	memcpy(&shm->loaded, p, WORDS_FROM - loaded);
	memcpy((char *)shm + WORDS_TO, p + (WORDS_TO - loaded),
	       saved_scalars - (WORDS_TO - loaded));
	p += saved_scalars;
	memcpy(shm->threads, p, saved_threads * sizeof shm->threads[0]);
	p += saved_threads * sizeof shm->threads[0];
	memcpy(shm->objects, p, saved_objects * sizeof shm->objects[0]);
	p += saved_objects * sizeof shm->objects[0];
	memcpy(shm->modules, p, saved_modules * sizeof shm->modules[0]);
	p += saved_modules * sizeof shm->modules[0];
	memcpy(weft_shm_events(shm), p, saved_events);
	/* This process is the execution now (the hang watchdog reads it). */
	int32_t pid = (int32_t)getpid(), tid = (int32_t)syscall(SYS_gettid);
	for (uint32_t i = 0; i < saved_threads; i++)
		shm->threads[i].tid = tid;
	__atomic_store_n(&shm->claimed_pid, pid, __ATOMIC_RELEASE);
}

/* C: the memory nobody reads at the snapshot (the pooled fiber stacks,
 * those of the fibers to come). */
static void scratch(void (*each)(uintptr_t lo, size_t size))
{
	weft__exec_scratch_memory(each);
}

/* At each execution's start from the branch point: the region as it was
 * there, and how the execution started. */
static void start_execution(int model)
{
	restore_region();
	struct weft_shm *shm = weft__rt.shm;
	shm->exec_model = (uint32_t)model;
	memset(shm->restore_why, 0, sizeof shm->restore_why);
	if (board->refused)
		snprintf(shm->restore_why, sizeof shm->restore_why, "%s", board->why);
}

/* C, forked by S for a request: take the snapshot here and run this
 * execution; returns again after every restore, once the next execution
 * is asked for. Where no snapshot can be taken, runs this one execution
 * as S's child, and S forks the next ones. */
static void run_in_place(void)
{
	in_place_pid = getpid();
	weft__spin_branch_child(true);
	/* C answers on the explorer's pipes: S's are the server's business
	 * (closed before the snapshot, which must not count them). */
	close(request_pipe[0]);
	close(reply_pipe[1]);
	request_pipe[0] = reply_pipe[1] = -1;
	int restores = weft__restore_take(scratch, weft__race_unused);
	struct weft_shm *shm = weft__rt.shm;
	if (restores < 0) {
		snprintf(board->why, sizeof board->why, "%s", weft__restore_why_not());
		board->refused = 1;
		in_place_pid = 0;
		board->state = IN_PLACE_RUNNING;
		/* Its pid before S sends its status (through the server, which
		 * waits on S meanwhile). */
		weft__write_word(explorer_status, WEFT_PID_WORD(getpid()));
		close(explorer_control);
		close(explorer_status);
		start_execution(WEFT_EXEC_MODEL_FORK);
		return;
	}
	/* Owed from now on: a process killed while it waits was asked. */
	board->state = IN_PLACE_RUNNING;
	post_answers = restores > 0;
	if (restores > 0) {
		if (!weft__await_request(explorer_control, shm, shm->spin_for_request))
			syscall(SYS_exit_group, 0);
		if (!from_branch_point(shm)) {
			board->state = IN_PLACE_PASSED;
			syscall(SYS_exit_group, 0);
		}
	} else {
		/* Its pid in its first execution only: the explorer keeps it
		 * (protocol.h). */
		weft__write_word(explorer_status, WEFT_PID_WORD(getpid()));
	}
	start_execution(WEFT_EXEC_MODEL_SNAPSHOT);
}

bool weft__snapshot_in_place(void)
{
	return in_place_pid && in_place_pid == (pid_t)syscall(SYS_getpid);
}

_Noreturn void weft__snapshot_end(int code)
{
	weft__spin_execution_end();
	if (weft__has_children())
		weft__restore_taint("the execution left a child process");
	board->state = IN_PLACE_IDLE;
	if (!weft__send_answer(explorer_status, weft__rt.shm, post_answers,
	                       (int32_t)W_EXITCODE(code & 0xff, 0)))
		syscall(SYS_exit_group, code);
	weft__restore_back(); /* returns only when it cannot */
	snprintf(board->why, sizeof board->why, "%s", weft__restore_why_not());
	board->refused = 1;
	syscall(SYS_exit_group, code);
	__builtin_unreachable();
}

/* Called by the restore with the reason it cannot finish, and with ""
 * once it is past the steps that can fail. */
static void lost(const char *why)
{
	snprintf(board->why, sizeof board->why, "%s", why);
	board->refused = why[0] != '\0';
}

/* S: for each request, fork C and wait for it to end, answering for the
 * execution it left unanswered; while C restores in place, it reads the
 * requests itself. Returns in C, at the branch point, in each execution. */
static void serve_from_snapshot(void)
{
	close(request_pipe[1]);
	close(reply_pipe[0]);
	/* Not in the first execution's process group, which ends with it
	 * (children.c); the fork server spares this process when it ends that
	 * execution's leftovers. */
	pid_t self = getpid();
	board->pid = self;
	if (!isatty(0))
		setpgid(0, 0);
	const char *wanted = getenv("WEFT_RESTORE");
	if (wanted && strcmp(wanted, "0") == 0) {
		snprintf(board->why, sizeof board->why, "WEFT_RESTORE=0 turned it off");
		board->refused = 1;
	}
	for (;;) {
		int32_t request;
		if (!weft__read_all(request_pipe[0], &request, sizeof request) || request != 1)
			_exit(0);
		board->state = IN_PLACE_IDLE;
		bool in_place = !board->refused;
		pid_t pid = _Fork();
		if (pid == 0) {
			/* A process group of its own, as the fork server's executions. */
			if (!weft__children_execution_start(self))
				_exit(WEFT_RUNTIME_EXIT_STATUS);
			if (in_place) {
				weft__restore_on_lost(lost);
				run_in_place();
				return;
			}
			close(request_pipe[0]);
			close(reply_pipe[1]);
			close(explorer_control);
			close(explorer_status);
			weft__spin_branch_child(false);
			start_execution(WEFT_EXEC_MODEL_FORK);
			return;
		}
		if (pid < 0) {
			weft__write_word(reply_pipe[1], -errno);
			continue;
		}
		if (!in_place)
			weft__write_word(reply_pipe[1], WEFT_PID_WORD(pid));
		int32_t status = weft__reap_group(pid);
		/* What C leaves the server (REPLY_...): C answered the requests
		 * it took, except perhaps the last one. */
		if (!in_place || board->state == IN_PLACE_RUNNING)
			weft__write_word(reply_pipe[1], status);
		else
			weft__write_word(reply_pipe[1], board->state == IN_PLACE_PASSED
			                                    ? REPLY_PASSED
			                                    : REPLY_BACK);
	}
}

void weft__exec_branch_point(uint32_t step)
{
	if (branched)
		return;
	branched = true;
	if (!board || board->alive || request_pipe[0] < 0 || weft__restore_active() ||
	    weft__rt.shm->policy != WEFT_POLICY_LOWEST || weft__rt.plan_pos != 0)
		return;
	/* Said in the summary: the executions then all start from main. */
	const char *why = count_fds() != fds_at_start
	                      ? "the program holds other descriptors at the first branch point "
	                        "than at its start"
	                  : count_shared_maps() != shared_maps_at_start
	                      ? "the program holds other writable shared mappings at the first "
	                        "branch point than at its start"
	                  : weft__has_children()
	                      ? "the program started a child process before the first branch point"
	                      : NULL;
	if (why) {
		snprintf(weft__rt.shm->restore_why, sizeof weft__rt.shm->restore_why,
		         "no snapshot was taken (--snapshots): %s", why);
		return;
	}
	save_region(step);
	if (!saved)
		return;
	board->step = step;
	board->alive = 1;
	pid_t pid = _Fork();
	if (pid == 0) {
		serve_from_snapshot(); /* returns in each execution forked from it */
		return;
	}
	if (pid < 0)
		board->alive = 0;
	if (pid > 0) {
		/* Set here too, before this execution can end: the fork server
		 * spares the snapshot only once it knows it (forkserver.c). */
		board->pid = pid;
		if (!isatty(0))
			setpgid(pid, pid);
	}
	/* This execution goes on; it no longer needs the pipes. */
	close(request_pipe[0]);
	close(reply_pipe[1]);
	close(explorer_control);
	close(explorer_status);
	explorer_control = explorer_status = -1;
}
