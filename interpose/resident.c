/* The resident execution: with fibers, the fork server's child does not
 * end with its execution. It takes a snapshot before main (restore.h),
 * and at the end of every execution it reports the status the process
 * would have exited with, puts itself back as it was at the snapshot and
 * waits there for the next execution. The fork server (forkserver.c)
 * relays its status as it relays a child's wait status, and forks a new
 * child whenever the resident one has ended: it crashed, was killed by
 * the hang watchdog, or could not put itself back (a child process, a
 * closed descriptor; the summary names the reason). Protocol, on the
 * server's pipes (native-endian 32-bit words, core/protocol.h): the
 * explorer sends 1 to run an execution; the resident answers the
 * execution's wait status, and reads the next 1 once it is back at the
 * snapshot; both through the region's words instead while the other side
 * watches them (server_io.h). --threads=kernel, WEFT_RESTORE=0 or a kernel without the
 * interfaces keep one fork per execution. */
#define _GNU_SOURCE
#include "resident.h"
#include "exec_layer.h"
#include "race.h"
#include "restore.h"
#include "restore_sys.h"
#include "runtime.h"
#include "self_pid.h"
#include "server_io.h"
#include "spin.h"

#include <errno.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static struct weft_resident_board *board; /* shared with the server */
static int control = -1, status_fd = -1;  /* the explorer's pipes */
static int32_t resident_pid;              /* this process, when it is resident */
static struct weft_shm *exchange;         /* the explorer's region, adopted or not */

/* How this execution started, for the explorer: written into the region
 * now, or once the region is adopted (weft_check). */
static int model_now;
static char why_now[160];

void weft__resident_note_model(void)
{
	struct weft_shm *shm = weft__rt.shm;
	if (!shm)
		return;
	shm->exec_model = (uint32_t)model_now;
	memcpy(shm->restore_why, why_now, sizeof shm->restore_why);
}

static void record_model(int model, const char *why)
{
	model_now = model;
	/* After every restore, with no reason: no formatting then. */
	if (why && *why)
		snprintf(why_now, sizeof why_now, "%s", why);
	else
		why_now[0] = '\0';
	weft__resident_note_model();
}

static void debug(const char *what, const char *why)
{
	const char *path = getenv("WEFT_RESTORE_DEBUG");
	if (!path)
		return;
	FILE *f = fopen(path, "a");
	if (f) {
		fprintf(f, "%d: %s: %s\n", (int)getpid(), what, why);
		fclose(f);
	}
}

/* The memory nobody reads at the snapshot: the exec layer's pooled
 * fiber stacks. */
static void scratch(void (*each)(uintptr_t lo, size_t size))
{
	weft__exec_scratch_memory(each);
}

static void give_up(const char *why)
{
	snprintf(board->why, sizeof board->why, "%s", why);
}

void weft__resident_child(struct weft_resident_board *shared, int control_fd, int status,
                          const char *why_not, struct weft_shm *region)
{
	const char *wanted = getenv("WEFT_RESTORE");
	bool off = wanted && strcmp(wanted, "0") == 0;
	bool fiber = weft__exec_mode() == WEFT_EXEC_FIBER;
	if (!shared || off || !fiber) {
		if (shared) {
			close(control_fd);
			close(status);
			if (off)
				snprintf(shared->why, sizeof shared->why,
				         "WEFT_RESTORE=0 turned it off");
		}
		record_model(WEFT_EXEC_MODEL_FORK, !fiber ? NULL
		                                   : off  ? "WEFT_RESTORE=0 turned it off"
		                                          : why_not);
		return;
	}
	board = shared;
	exchange = region;
	control = weft__restore_high_fd(control_fd);
	status_fd = weft__restore_high_fd(status);
	resident_pid = (int32_t)weft__pid();
	weft__spin_prepare_process();
	weft__restore_on_lost(give_up);
	int restores = weft__restore_take(scratch, weft__race_unused);
	if (restores < 0) {
		debug("no snapshot", weft__restore_why_not());
		give_up(weft__restore_why_not());
		record_model(WEFT_EXEC_MODEL_FORK, weft__restore_why_not());
		close(control);
		close(status_fd);
		board = NULL;
		return;
	}
	if (restores > 0) {
		/* Back at the snapshot: serve the next execution as the fork
		 * server would, on the explorer's own pipes. The pid is the one
		 * the explorer has (protocol.h), so only the status answers;
		 * from now on, the server answers for this process if it ends. */
		board->state = WEFT_RESIDENT_RUNNING;
		board->restored++;
		if (!weft__await_request(control, exchange,
		                         exchange && exchange->spin_for_request))
			syscall(SYS_exit_group, 0);
	} else {
		board->state = WEFT_RESIDENT_RUNNING;
	}
	record_model(restores > 0 ? WEFT_EXEC_MODEL_RESTORE : WEFT_EXEC_MODEL_FORK, NULL);
}

/* Whether this is the resident process, asked of the kernel: a child of
 * vfork that calls exit shares the cached pid (self_pid.h) with its parent,
 * and must not put the parent's memory back. */
static bool resident_here(void)
{
	return board && resident_pid == (int32_t)syscall(SYS_getpid);
}

static _Noreturn void end_here(int code);

void weft__execution_end(int code)
{
	if (weft__snapshot_in_place())
		weft__snapshot_end(code);
	if (!resident_here()) {
		syscall(SYS_exit_group, code);
		__builtin_unreachable();
	}
	end_here(code);
}

static _Noreturn void end_here(int code)
{
	weft__spin_execution_end();
	if (weft__has_children())
		weft__restore_taint("the execution left a child process");
	/* The first execution's pid is the server's to write: the status must
	 * not come before it on the pipe. */
	while (!__atomic_load_n(&board->pid_sent, __ATOMIC_ACQUIRE))
		weft__sys(SYS_futex, (long)&board->pid_sent, FUTEX_WAIT, 0, 0, 0, 0);
	/* Idle before the status is written: the server answers for an
	 * execution only while it runs, so the explorer never gets two. */
	board->state = WEFT_RESIDENT_IDLE;
	/* In the region only once restored: the status of the process's
	 * first execution follows its pid on the pipe. */
	if (!weft__send_answer(status_fd, exchange, model_now == WEFT_EXEC_MODEL_RESTORE,
	                       (int32_t)W_EXITCODE(code & 0xff, 0)))
		syscall(SYS_exit_group, code);
	weft__restore_back(); /* returns only when it cannot */
	debug("not restored", weft__restore_why_not());
	give_up(weft__restore_why_not());
	syscall(SYS_exit_group, code);
	__builtin_unreachable();
}

void weft__execution_end_normal(int code)
{
	bool at_branch = weft__snapshot_in_place();
	if (!at_branch && !resident_here())
		return; /* glibc goes on to flush stdio and exit */
	/* What glibc would do next: flush every stream. */
	fflush(NULL);
	if (at_branch)
		weft__snapshot_end(code);
	end_here(code);
}
