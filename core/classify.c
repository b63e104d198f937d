/* The rules that turn an execution's end into a verdict, in order: a
 * --yield-at spec the runtime could not apply, an unsupported call or a
 * runtime that never loaded stops exploration with an error; then a hang, a bug the runtime judged itself (deadlock, misuse,
 * livelock, divergence), a fatal signal, a non-zero exit status, and last
 * threads left blocked at exit (leak). */
#define _GNU_SOURCE
#include "classify.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "describe.h"
#include "race_report.h"
#include "spin_report.h"

static void append(char *buf, size_t len, const char *fmt, const char *a, const char *b)
{
	size_t used = strlen(buf);
	if (used < len)
		snprintf(buf + used, len - used, fmt, a, b);
}

static void describe_deadlock(const struct weft_shm *shm, char *buf, size_t len)
{
	char part[320], pending[200];
	buf[0] = '\0';
	for (uint32_t t = 0; t < shm->nthreads && t < WEFT_MAX_THREADS; t++) {
		if (shm->threads[t].status != WEFT_THREAD_BLOCKED)
			continue;
		weft_describe_pending(shm, NULL, t, pending, sizeof pending);
		int owner = weft_waits_for(shm, t);
		if (owner >= 0 && (shm->threads[t].op == WEFT_OP_MUTEX_LOCK ||
		                   shm->threads[t].op == WEFT_OP_USER_LOCK ||
		                   shm->threads[t].op == WEFT_OP_COND_RELOCK))
			snprintf(part, sizeof part, "T%u waits in %s held by T%d%s", t, pending, owner,
			         shm->threads[owner].status == WEFT_THREAD_EXITED
			                 ? ", which exited without unlocking it"
			                 : "");
		else
			snprintf(part, sizeof part, "T%u waits in %s", t, pending);
		append(buf, len, "%s%s", buf[0] ? "; " : "", part);
	}
	/* Follow the wait-for edges from each thread; each thread waits for at
	 * most one other, so a cycle is found by walking. */
	for (uint32_t t = 0; t < shm->nthreads && t < WEFT_MAX_THREADS; t++) {
		uint64_t seen = 0;
		int cur = (int)t;
		while (cur >= 0 && cur < WEFT_MAX_THREADS && !(seen & (1ull << cur))) {
			seen |= 1ull << cur;
			cur = weft_waits_for(shm, (uint32_t)cur);
		}
		if (cur != (int)t)
			continue;
		char cycle[256] = "";
		int c = (int)t;
		do {
			char node[16];
			snprintf(node, sizeof node, "T%d -> ", c);
			append(cycle, sizeof cycle, "%s%s", node, "");
			c = weft_waits_for(shm, (uint32_t)c);
		} while (c != (int)t);
		char node[16];
		snprintf(node, sizeof node, "T%d", c);
		append(cycle, sizeof cycle, "%s%s", node, "");
		append(buf, len, "; wait-for cycle: %s%s", cycle, "");
		break;
	}
}

static void describe_leak(const struct weft_shm *shm, char *buf, size_t len)
{
	char pending[200], part[256];
	snprintf(buf, len, "%u thread%s still blocked when the process exited:",
	         shm->blocked_at_exit, shm->blocked_at_exit == 1 ? " is" : "s are");
	for (uint32_t t = 0; t < shm->nthreads && t < WEFT_MAX_THREADS; t++) {
		if (shm->threads[t].status != WEFT_THREAD_BLOCKED)
			continue;
		weft_describe_pending(shm, NULL, t, pending, sizeof pending);
		snprintf(part, sizeof part, " T%u in %s", t, pending);
		append(buf, len, "%s%s", part, "");
	}
}

/* Under fibers, whether a thread other than the stuck one could have run
 * when it took its last step (a thread waiting for a descriptor could not:
 * it waits for the same outside world). */
static bool others_could_run(const struct weft_shm *shm)
{
	if (shm->nsteps == 0 || shm->nsteps > shm->max_steps)
		return false;
	const struct weft_event *e = &weft_shm_events((struct weft_shm *)shm)[shm->nsteps - 1];
	for (uint32_t t = 0; t < WEFT_MAX_THREADS && t < shm->nthreads; t++)
		if (t != shm->current && (e->enabled & (1ull << t)) &&
		    shm->threads[t].status != WEFT_THREAD_EXITED &&
		    shm->threads[t].op != WEFT_OP_FD_WAIT)
			return true;
	return false;
}

void weft_classify(const struct weft_config *config, const struct weft_shm *shm,
                   const struct weft_run_outcome *out, struct weft_verdict_info *v)
{
	memset(v, 0, sizeof *v);
	v->exit_status = out->exit_status;
	v->signal = out->signal;
	const char *program = config->argv[0];
	if (shm->config_error) {
		/* A --yield-at spec that does not fit the program: the message names it. */
		v->error = true;
		snprintf(v->message, sizeof v->message, "%s", shm->message);
		return;
	}
	if (shm->unsupported) {
		v->error = true;
		snprintf(v->message, sizeof v->message,
		         "%s called %s, which weft does not model yet; weft stopped the execution "
		         "rather than let it hang. Replace the call in the test, or run the test "
		         "without weft",
		         program, shm->message);
		return;
	}
	if (shm->limit_error) {
		/* A limit of weft's own (the step fuse): not the program's fault. */
		v->error = true;
		snprintf(v->message, sizeof v->message, "%s", shm->message);
		return;
	}
	if (!shm->loaded && !out->hang) {
		v->error = true;
		snprintf(v->message, sizeof v->message,
		         "the weft runtime (%s) was not loaded into %s, so weft controls nothing; "
		         "a setuid program or one that clears LD_PRELOAD cannot be run under weft",
		         config->runtime_path, program);
		return;
	}
	if (out->hang) {
		v->kind = WEFT_BUG_HANG;
		/* Only a system call needs saying that weft does not control it: "a
		 * call weft does not control" says it already, and a loop is no call. */
		const char *uncontrolled = strstr(out->hang_call, "system call")
		                               ? ", which weft does not control"
		                               : "";
		/* A call weft does not model blocks the one kernel thread that
		 * every fiber runs on, while others could run: weft's limit, not a
		 * bug of the program. */
		if (config->fiber_threads && shm->claimed_pid && *uncontrolled &&
		    others_could_run(shm)) {
			v->error = true;
			snprintf(v->message, sizeof v->message,
			         "T%u waits in %s, which weft does not model, while other threads "
			         "could run; with --threads=fiber every thread runs on one kernel "
			         "thread, so they cannot run meanwhile: use --threads=kernel, with "
			         "--yield-at naming the call with the blocking role",
			         shm->current, out->hang_call);
			return;
		}
		if (shm->claimed_pid)
			snprintf(
			    v->message, sizeof v->message,
			    "T%u made no step for %g s (--hang-timeout): it is stuck in %s%s; "
			    "the thread that would release it never gets to run",
			    shm->current, config->hang_timeout, out->hang_call, uncontrolled);
		else
			snprintf(
			    v->message, sizeof v->message,
			    "%s ran for %g s (--hang-timeout) without any call weft controls; it "
			    "is stuck in %s",
			    program, config->hang_timeout, out->hang_call);
		return;
	}
	if (out->oom_killed) {
		/* Memory is the machine's limit: not a verdict on the program. */
		v->error = true;
		snprintf(
		    v->message, sizeof v->message,
		    "the kernel's out-of-memory killer ended an execution of %s (SIGKILL); weft "
		    "cannot judge it: give the machine more memory or run fewer things at once",
		    program);
		return;
	}
	if (shm->bug) {
		v->kind = (enum weft_bug_kind)shm->bug;
		if (v->kind == WEFT_BUG_DEADLOCK)
			describe_deadlock(shm, v->message, sizeof v->message);
		else if (v->kind == WEFT_BUG_DATA_RACE && shm->race.found)
			weft_race_headline(shm, v->message, sizeof v->message);
		else if (weft_spin_describe(shm, v->message, sizeof v->message))
			; /* a spin-wait that never ends, named with its stack */
		else
			snprintf(v->message, sizeof v->message, "%s", shm->message);
		return;
	}
	if (out->signaled) {
		v->kind = out->signal == SIGABRT ? WEFT_BUG_ASSERTION : WEFT_BUG_CRASH;
		snprintf(v->message, sizeof v->message, "%s was killed by SIG%s (%s)", program,
		         sigabbrev_np(out->signal) ? sigabbrev_np(out->signal) : "?",
		         strsignal(out->signal));
		return;
	}
	if (out->exit_status != 0) {
		v->kind = WEFT_BUG_EXIT_STATUS;
		snprintf(v->message, sizeof v->message, "%s exited with status %d", program,
		         out->exit_status);
		return;
	}
	if (shm->exited && shm->blocked_at_exit) {
		v->kind = WEFT_BUG_LEAK;
		describe_leak(shm, v->message, sizeof v->message);
	}
}
