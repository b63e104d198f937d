/* The stack of a thread stuck in a call weft does not control, read from
 * outside the process with libdwfl's ptrace unwinder (what eu-stack does):
 * the thread is not at a scheduling point, so the runtime cannot walk it. */
#define _GNU_SOURCE
#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <string.h>

#include "bug_stacks.h"

static char *debuginfo_path;

static const Dwfl_Callbacks proc_callbacks = {
    .find_elf = dwfl_linux_proc_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .debuginfo_path = &debuginfo_path,
};

struct walk {
	uint64_t *out;
	uint32_t n;
};

static int keep_frame(Dwfl_Frame *state, void *arg)
{
	struct walk *w = arg;
	Dwarf_Addr pc;
	bool activation;
	if (!dwfl_frame_pc(state, &pc, &activation) || pc == 0)
		return DWARF_CB_ABORT;
	/* Every entry is looked up at pc - 1: an activation's exact pc
	 * (the innermost frame, or one a signal interrupted) gets one added. */
	w->out[w->n++] = activation ? pc + 1 : pc;
	return w->n == WEFT_STACK_DEPTH ? DWARF_CB_ABORT : DWARF_CB_OK;
}

bool weft_remote_stack(pid_t pid, pid_t tid, uint64_t *out)
{
	memset(out, 0, WEFT_STACK_DEPTH * sizeof *out);
	unsetenv("DEBUGINFOD_URLS"); /* as symbolize.c: no network in a report */
	Dwfl *dwfl = dwfl_begin(&proc_callbacks);
	if (!dwfl)
		return false;
	struct walk w = {out, 0};
	dwfl_report_begin(dwfl);
	if (dwfl_linux_proc_report(dwfl, pid) == 0 && dwfl_report_end(dwfl, NULL, NULL) == 0 &&
	    dwfl_linux_proc_attach(dwfl, pid, false) == 0)
		dwfl_getthread_frames(dwfl, tid, keep_frame, &w);
	dwfl_end(dwfl); /* detaches, and the thread goes on */
	return w.n > 0;
}
