/* The fork server: exec and dynamic loading cost far more than one
 * execution of a small test, so when the explorer asks for it
 * (WEFT_FORKSERVER=CONTROL_FD,STATUS_FD) the runtime stops just before the
 * program's main, while the process is still single-threaded, and forks one
 * child per execution on request; each child runs main as if it had just
 * been started. The server reports each child's pid and wait status back.
 * Protocol (native-endian 32-bit words): the explorer writes 1 to run an
 * execution; the server answers the child's pid, then its wait status. The
 * first answer of all is 1 (ready) or 0 (cannot serve: threads exist).
 * Each execution is a process group of its own (children.c); when it ends,
 * the server ends what it left behind: its group, and the processes that
 * were re-parented to the server (a subreaper), such as daemon()'s. */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "resident.h"
#include "server_io.h"
#include "runtime.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int count_threads(void)
{
	DIR *d = opendir("/proc/self/task");
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* The processes re-parented to us, read from /proc; 0 when none. */
static int list_children(pid_t *out, int max)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)getpid(), (int)getpid());
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	int n = 0, pid;
	while (n < max && fscanf(f, "%d", &pid) == 1)
		out[n++] = pid;
	fclose(f);
	return n;
}

/* After an execution: end every process left to us. */
static void end_leftovers(void)
{
	for (int round = 0; round < 64; round++) {
		siginfo_t info;
		memset(&info, 0, sizeof info);
		if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 && errno == ECHILD)
			return; /* no children at all: the common case, no /proc read */
		pid_t pids[64];
		int listed = list_children(pids, 64), n = 0;
		/* The snapshot process (snapshot.c) outlives the execution that
		 * forked it, on purpose: it serves the later ones. */
		pid_t snapshot = weft__snapshot_pid();
		for (int i = 0; i < listed; i++)
			if (pids[i] != snapshot) {
				kill(pids[i], SIGKILL);
				n++;
			}
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (listed > 0 && n == 0)
			return;
		if (n == 0) {
			struct timespec pause = {0, 1000000};
			nanosleep(&pause, NULL);
		}
	}
}

/* The exchange region: the runtime's, or weft_check's (not adopted by the
 * server itself, only by its children). */
static struct weft_shm *region;

/* What a resident child (resident.c) and the server share: whether an
 * execution is running in it, and why it stopped being resident. */
static struct weft_resident_board *board;

/* Why children are no longer made resident, once one could not. */
static char why_not[WEFT_RESIDENT_WHY_LEN];
static unsigned refusals; /* children in a row that could not restore */

/* The child ended: end its group, reap it and what it left. */
static int reap(pid_t pid)
{
	int status = weft__reap_group(pid);
	end_leftovers();
	return status;
}

/* After a resident child ended: whether it still owed the explorer the
 * status of an execution, and whether the next child should try again. */
static bool owed_after_resident(void)
{
	bool owed = board->state != WEFT_RESIDENT_IDLE;
	if (!board->why[0] && board->state == WEFT_RESIDENT_RUNNING && !board->restored &&
	    ++refusals >= 2) {
		/* Twice in a row, its first execution did not come back to weft:
		 * a program that execs another (a wrapper script), or crashes
		 * early; a snapshot each time would be wasted. */
		snprintf(why_not, sizeof why_not,
		         "the process did not come back from its first execution (an exec, or a "
		         "crash)");
		return owed;
	}
	if (board->why[0]) {
		memcpy(why_not, board->why, sizeof why_not);
		why_not[sizeof why_not - 1] = 0;
		refusals = board->state == WEFT_RESIDENT_NONE ? 2 : refusals + 1;
	} else if (board->state != WEFT_RESIDENT_NONE) {
		refusals = 0;
	}
	return owed;
}

/* The child of the last fork: whether it may become resident, and on
 * which pipes (forkserver_child_ready). */
static struct {
	bool resident;
	int control, status_fd;
	const char *why; /* why it is not restored in place, or NULL: why_not */
} child = {false, -1, -1, NULL};

/* What every execution needs, made once, then the loop: returns in each
 * child, as the execution. */
static void serve(int control, int status_fd)
{
	if (!region)
		region = weft__rt.shm;
	weft__exe_path();      /* look it up once, not in every child */
	weft__stack_warm_up(); /* bind the unwinder once, not in every child */
	/* What every execution's threads will need, made once. */
	weft__exec_prepare();
	/* What every execution's runtime needs, made once (prefork.c). */
	weft__prefork_prepare();
	weft__snapshot_server_init();
	const char *snapshots = getenv("WEFT_SNAPSHOTS");
	if (snapshots && strcmp(snapshots, "1") == 0) {
		/* --snapshots starts executions from a fork at the first branch
		 * point instead (snapshot.c). */
		snprintf(why_not, sizeof why_not,
		         "--snapshots starts them from a fork at the first branch point");
		refusals = 2;
	}
	if (weft__exec_mode() == WEFT_EXEC_FIBER) {
		board = mmap(NULL, sizeof *board, PROT_READ | PROT_WRITE,
		             MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (board == MAP_FAILED)
			board = NULL;
	}
	weft__write_word(status_fd, 1);
	/* Anything buffered before main would be printed by every child. */
	fflush(NULL);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	pid_t server = getpid();
	for (;;) {
		if (!weft__await_request(control, region, false))
			_exit(0);
		if (weft__snapshot_serve(status_fd, region))
			continue; /* a snapshot ran it from its first branch point */
		const char *from_main = weft__snapshot_why_from_main(region);
		/* A resident child (resident.c) serves the explorer itself, on
		 * the same pipes, until it ends; the server answers for it only
		 * when it ended during an execution. */
		bool resident = board && refusals < 2;
		if (resident)
			memset(board, 0, sizeof *board);
		weft__children_serving(true);
		pid_t pid = fork();
		if (pid == 0) {
			/* The resident child serves on the pipes, and so does the
			 * process a snapshot at the branch point restores in place
			 * (snapshot.c). */
			if (!weft__snapshot_child(control, status_fd) && !resident) {
				close(control);
				close(status_fd);
			}
			prctl(PR_SET_CHILD_SUBREAPER, 0);
			if (!weft__children_execution_start(server))
				_exit(WEFT_RUNTIME_EXIT_STATUS);
			child.resident = resident;
			child.control = control;
			child.status_fd = status_fd;
			child.why = from_main;
			return;
		}
		weft__children_serving(false);
		weft__write_word(status_fd, pid < 0 ? -errno : WEFT_PID_WORD(pid));
		if (pid < 0)
			continue;
		if (resident) {
			/* Only now may the child write on the pipe itself. */
			__atomic_store_n(&board->pid_sent, 1, __ATOMIC_RELEASE);
			syscall(SYS_futex, &board->pid_sent, FUTEX_WAKE, 1, NULL, NULL, 0);
		}
		int status = reap(pid);
		if (!resident || owed_after_resident())
			weft__write_word(status_fd, status);
	}
}

void weft__forkserver_child_ready(void)
{
	weft__resident_child(child.resident ? board : NULL, child.control, child.status_fd,
	                     child.why ? child.why : why_not, region);
}

void weft__forkserver_serve(void)
{
	const char *spec = getenv("WEFT_FORKSERVER");
	int control, status_fd;
	if (!spec || sscanf(spec, "%d,%d", &control, &status_fd) != 2)
		return;
	/* Children must not see the variable: a program that starts itself
	 * again would otherwise try to serve. */
	unsetenv("WEFT_FORKSERVER");
	if (!weft__rt.shm || weft__rt.active || count_threads() != 1) {
		weft__write_word(status_fd, 0);
		close(control);
		close(status_fd);
		return; /* run main once, as exec-per-execution would */
	}
	serve(control, status_fd);
	weft__forkserver_child_ready();
}

void weft__forkserver_launch(int control, int status_fd, struct weft_shm *shm)
{
	region = shm;
	serve(control, status_fd);
}
