/* weft_check(): the in-process way in. The test process itself is the
 * explorer; every execution is a fork of it in which the runtime takes
 * control with the forking thread as thread 0 and runs the scenario. The
 * options default from WEFT_* environment variables; WEFT_REPLAY=TOKEN
 * (with WEFT_CHECK=NAME when a binary has several checks) replays one. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dlfcn.h>

#include "../core/explore.h"
#include "../include/weft.h"
#include "exec_layer.h"
#include "resident.h"
#include "runtime.h"

/* The explorer lives in libweft-explorer.so, loaded on the first check:
 * it needs libdw and friends, which a preloaded runtime should not drag
 * into every program it is loaded into. */
static struct {
	void (*config_defaults)(struct weft_config *);
	int (*explore)(const struct weft_config *, struct weft_result *);
	void (*result_free)(struct weft_result *);
	void (*report_text)(FILE *, const struct weft_config *, const struct weft_result *);
	bool (*token_decode)(const char *, struct weft_choice **, uint32_t *, char *, size_t);
	const char *(*bug_kind_name)(unsigned);
} explorer;

static bool load_explorer(char *err, size_t errlen)
{
	if (explorer.explore)
		return true;
	void *lib = NULL;
	Dl_info self;
	if (dladdr((void *)weft_check, &self) && self.dli_fname) {
		char path[4096];
		snprintf(path, sizeof path, "%s", self.dli_fname);
		char *slash = strrchr(path, '/');
		if (slash) {
			snprintf(slash + 1, sizeof path - (size_t)(slash + 1 - path),
			         "libweft-explorer.so");
			lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		}
	}
	if (!lib)
		lib = dlopen("libweft-explorer.so", RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		snprintf(err, errlen,
		         "cannot load libweft-explorer.so (%s); it is installed next to libweft.so",
		         dlerror());
		return false;
	}
	*(void **)&explorer.config_defaults = dlsym(lib, "weft_config_defaults");
	*(void **)&explorer.result_free = dlsym(lib, "weft_result_free");
	*(void **)&explorer.report_text = dlsym(lib, "weft_report_text");
	*(void **)&explorer.token_decode = dlsym(lib, "weft_token_decode");
	*(void **)&explorer.bug_kind_name = dlsym(lib, "weft_bug_kind_name");
	*(void **)&explorer.explore = dlsym(lib, "weft_explore");
	if (!explorer.config_defaults || !explorer.result_free || !explorer.report_text ||
	    !explorer.token_decode || !explorer.bug_kind_name || !explorer.explore) {
		explorer.explore = NULL;
		snprintf(err, errlen, "libweft-explorer.so does not match this libweft.so: reinstall weft");
		return false;
	}
	return true;
}

struct scenario {
	void (*body)(void *);
	void *arg;
};

static void run_scenario(void *p, struct weft_shm *shm)
{
	struct scenario *s = p;
	if (!weft__adopt_region(shm))
		_exit(127);
	s->body(s->arg);
	weft__process_end(0, 0);
}

/* With fibers: the fork server's way (forkserver.c), so that the process
 * of an execution is restored in place instead of forked again. The
 * snapshot is taken before the region is adopted, as in a program's
 * process before main. */
static void serve_scenario(void *p, struct weft_shm *shm, int control, int status_fd)
{
	struct scenario *s = p;
	weft__forkserver_launch(control, status_fd, shm); /* returns in each execution */
	weft__forkserver_child_ready();
	if (!weft__adopt_region(shm))
		_exit(127);
	weft__resident_note_model();
	s->body(s->arg);
	weft__process_end(0, 0);
}

/* Every execution is a fork of this process, so what each would otherwise
 * redo in its child is made here once, as the fork server does for `weft
 * run`: the executable's path, the bound unwinder and, with fibers
 * (WEFT_THREADS=fiber), the stacks and thread control blocks of the
 * scenario's threads. */
static void prepare_executions(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	weft__exe_path();
	weft__stack_warm_up();
	weft__exec_prepare();
}

static int error(struct weft_result_summary *out, const char *fmt, const char *a, const char *b)
{
	if (out) {
		memset(out, 0, sizeof *out);
		out->verdict = WEFT_ERROR;
		snprintf(out->message, sizeof out->message, fmt, a, b);
	}
	fprintf(stderr, "weft_check: ");
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return WEFT_ERROR;
}

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/* Reads the options left at zero from the environment; false (message in
 * err) when a variable holds something that is not a valid value. */
static bool apply_options(const struct weft_options *o, struct weft_config *c, char *err,
                          size_t errlen)
{
	const char *v;
	char *end;
	c->strategy = o->strategy            ? o->strategy
	              : env("WEFT_STRATEGY") ? env("WEFT_STRATEGY")
	                                     : "auto";
	c->max_executions = o->max_executions;
	if (!c->max_executions && (v = env("WEFT_MAX_EXECUTIONS"))) {
		c->max_executions = strtoull(v, &end, 10);
		if (*end || *v == '-' || !c->max_executions)
			return snprintf(err, errlen, "WEFT_MAX_EXECUTIONS=%s is not a positive number", v),
			       false;
	}
	c->time_limit = o->time_limit;
	if (!(c->time_limit > 0) && (v = env("WEFT_TIME_LIMIT"))) {
		c->time_limit = strtod(v, &end);
		if (*end || !(c->time_limit > 0))
			return snprintf(err, errlen, "WEFT_TIME_LIMIT=%s is not a positive number of seconds",
			                v),
			       false;
	}
	if (o->max_steps)
		c->max_steps = o->max_steps;
	else if ((v = env("WEFT_MAX_STEPS"))) {
		unsigned long n = strtoul(v, &end, 10);
		if (*end || n < 10 || n > 50000000)
			return snprintf(err, errlen, "WEFT_MAX_STEPS=%s is not a number from 10 to 50000000",
			                v),
			       false;
		c->max_steps = (uint32_t)n;
	}
	if (o->hang_timeout > 0)
		c->hang_timeout = o->hang_timeout;
	else if ((v = env("WEFT_HANG_TIMEOUT"))) {
		c->hang_timeout = strtod(v, &end);
		if (*end || !(c->hang_timeout > 0))
			return snprintf(err, errlen, "WEFT_HANG_TIMEOUT=%s is not a positive number", v),
			       false;
	}
	if (o->time == WEFT_TIME_ADVERSARIAL)
		c->adversarial_time = true;
	else if (o->time == WEFT_TIME_DEFAULT && (v = env("WEFT_TIME"))) {
		if (strcmp(v, "adversarial") != 0 && strcmp(v, "normal") != 0)
			return snprintf(err, errlen, "WEFT_TIME=%s: expected normal or adversarial", v),
			       false;
		c->adversarial_time = strcmp(v, "adversarial") == 0;
	}
	c->spurious_wakeups = o->spurious_wakeups;
	if (!c->spurious_wakeups && (v = env("WEFT_SPURIOUS_WAKEUPS"))) {
		unsigned long n = strtoul(v, &end, 10);
		if (*end || n > 1000)
			return snprintf(err, errlen, "WEFT_SPURIOUS_WAKEUPS=%s is not a number up to 1000",
			                v),
			       false;
		c->spurious_wakeups = (uint32_t)n;
	}
	return true;
}

/* This process's own command line, for the replay command. */
static char **own_argv(void)
{
	static char buf[8192];
	static char *argv[64];
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	if (fd >= 0)
		close(fd);
	int argc = 0;
	if (n > 0) {
		buf[n] = '\0';
		for (char *p = buf; p < buf + n && argc < 63; p += strlen(p) + 1)
			argv[argc++] = p;
	}
	if (argc == 0)
		argv[argc++] = "./test";
	argv[argc] = NULL;
	return argv;
}

static void summarise(const struct weft_result *r, struct weft_result_summary *out)
{
	memset(out, 0, sizeof *out);
	out->verdict = (enum weft_check_verdict)r->verdict;
	out->complete = r->complete;
	out->complete_seen = r->seen_complete;
	out->executions = r->executions;
	out->elapsed_seconds = r->elapsed_seconds;
	if (r->bug) {
		snprintf(out->kind, sizeof out->kind, "%s", explorer.bug_kind_name(r->bug->kind));
		snprintf(out->message, sizeof out->message, "%s", r->bug->message);
		snprintf(out->token, sizeof out->token, "%s", r->bug->token ? r->bug->token : "");
	} else if (r->verdict == WEFT_VERDICT_ERROR) {
		snprintf(out->message, sizeof out->message, "%s", r->error);
	}
}

enum weft_check_verdict weft_check(void (*body)(void *), void *arg,
                                   const struct weft_options *options,
                                   struct weft_result_summary *out)
{
	static unsigned calls;
	static const struct weft_options none = WEFT_OPTIONS_INIT;
	const struct weft_options *o = options ? options : &none;
	char name[64];
	calls++;
	if (o->name)
		snprintf(name, sizeof name, "%s", o->name);
	else
		snprintf(name, sizeof name, "#%u", calls);

	/* Already inside an execution of weft run: the outer explorer owns the
	 * interleavings, so the scenario simply runs. */
	if (weft__rt.shm) {
		body(arg);
		if (out) {
			memset(out, 0, sizeof *out);
			out->executions = 1;
		}
		return WEFT_OK;
	}
	const char *replay = env("WEFT_REPLAY"), *only = env("WEFT_CHECK");
	if (replay && only && strcmp(only, name) != 0) {
		if (out) /* replaying another check of this binary */
			memset(out, 0, sizeof *out);
		return WEFT_OK;
	}

	char err[512];
	if (!load_explorer(err, sizeof err))
		return error(out, "%s%s", err, "");
	struct weft_config config;
	explorer.config_defaults(&config);
	if (!apply_options(o, &config, err, sizeof err))
		return error(out, "%s%s", err, "");
	struct scenario s = {body, arg};
	config.launch = run_scenario;
	config.launch_arg = &s;
	if (weft__exec_mode() == WEFT_EXEC_FIBER)
		config.launch_serve = serve_scenario;
	config.fork_server = false;
	config.check_name = name;
	config.argv = own_argv();
	config.progress = false;
	struct weft_choice *plan = NULL;
	if (replay) {
		if (!explorer.token_decode(replay, &plan, &config.replay_len, err, sizeof err))
			return error(out, "WEFT_REPLAY: %s%s", err, "");
		config.replay = plan;
		config.is_replay = true;
		config.show_output = true;
	}
	prepare_executions();
	struct weft_result result;
	explorer.explore(&config, &result);
	if (!o->quiet || result.verdict != WEFT_VERDICT_OK) {
		fprintf(stderr, "weft_check %s:\n", name);
		explorer.report_text(stderr, &config, &result);
	}
	if (out)
		summarise(&result, out);
	enum weft_check_verdict verdict = (enum weft_check_verdict)result.verdict;
	explorer.result_free(&result);
	free(plan);
	return verdict;
}
