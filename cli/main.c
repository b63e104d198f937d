/* The weft command: `weft run [options] -- PROGRAM ARGS` explores a
 * program's interleavings; `weft replay [options] TOKEN -- PROGRAM ARGS`
 * runs one recorded interleaving again. Exit status: 0 no bug, 1 bug,
 * 2 usage or input error. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/elfcheck.h"
#include "../core/explore.h"
#include "../core/interrupt.h"
#include "../core/report.h"
#include "../core/token.h"
#include "../core/token_program.h"
#include "../core/yieldspec.h"
#include "cli.h"

#ifndef WEFT_LIBDIR
#define WEFT_LIBDIR "lib"
#endif

#ifndef WEFT_VERSION
#define WEFT_VERSION "0.1.0"
#endif

enum option_id {
#define X(id, name, arg, help) OPT_##id,
#include "options.def"
#undef X
	OPT_COUNT
};

static const struct {
	const char *name, *arg, *help;
} option_table[] = {
#define X(id, name, arg, help) {name, arg, help},
#include "options.def"
#undef X
};

enum { EXIT_OK = 0, EXIT_BUG = 1, EXIT_USAGE = 2 };

static void usage(FILE *f)
{
	fprintf(f, "usage: weft run [options] -- PROGRAM [ARGS...]\n"
	           "       weft replay [options] TOKEN -- PROGRAM [ARGS...]\n"
	           "       weft merge [--json FILE] REPORT.json...\n\n"
	           "Runs PROGRAM (a dynamically linked program using POSIX threads) over every\n"
	           "interleaving of its threads' synchronisation calls and reports assertion\n"
	           "failures, crashes, deadlocks, leaked threads and API misuse, each with a\n"
	           "token that replays it. Exit status: 0 no bug, 1 bug found, 2 usage error.\n\n"
	           "options:\n");
	for (int i = 0; i < OPT_COUNT; i++) {
		char left[64];
		const char *arg = option_table[i].arg;
		snprintf(left, sizeof left, "--%s%s%s", option_table[i].name,
		         arg && arg[0] != '[' ? " " : "", arg ? arg : "");
		fprintf(f, "  %-26s %s\n", left, option_table[i].help);
	}
}

static int usage_error(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "weft: ");
	fprintf(stderr, fmt, a, b);
	fprintf(stderr, "\n(run 'weft --help' for usage)\n");
	return EXIT_USAGE;
}

static bool parse_count(const char *text, unsigned long long max, unsigned long long *out)
{
	char *end;
	errno = 0;
	if (!text || !*text || *text == '-' || *text == '+')
		return false;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

static bool parse_seconds(const char *text, double *out)
{
	char *end;
	errno = 0;
	if (!text || !*text)
		return false;
	double v = strtod(text, &end);
	if (errno || *end || !(v > 0) || v > 1e9)
		return false;
	*out = v;
	return true;
}

/* --time-start: "epoch" (the default, 0), "real" (the real time now, read
 * once so that every execution and the replay command use the same value)
 * or seconds since 1970 with up to nine decimals. */
static bool parse_time_start(const char *text, int64_t *out)
{
	if (strcmp(text, "epoch") == 0) {
		*out = 0;
		return true;
	}
	if (strcmp(text, "real") == 0) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		*out = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
		return true;
	}
	unsigned long long sec, frac = 0;
	char whole[32];
	const char *dot = strchr(text, '.');
	size_t n = dot ? (size_t)(dot - text) : strlen(text);
	if (n == 0 || n >= sizeof whole)
		return false;
	memcpy(whole, text, n);
	whole[n] = '\0';
	if (!parse_count(whole, 9000000000ull, &sec))
		return false;
	if (dot) {
		size_t digits = strlen(dot + 1);
		if (digits == 0 || digits > 9 || !parse_count(dot + 1, 999999999, &frac))
			return false;
		for (; digits < 9; digits++)
			frac *= 10;
	}
	*out = (int64_t)(sec * 1000000000 + frac);
	return *out > 0;
}

/* The runtime next to the command (build tree) or in ../lib (installed). */
static bool find_runtime(char *out, size_t len)
{
	const char *env = getenv("WEFT_RUNTIME");
	if (env && *env) {
		if (!realpath(env, out))
			return false;
		return access(out, R_OK) == 0;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	const char *dir = dirname(exe);
	static const char *const candidates[] = {"%s/libweft.so", "%s/../" WEFT_LIBDIR "/libweft.so",
	                                         "%s/../lib/libweft.so", "%s/../lib/weft/libweft.so"};
	for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
		char path[PATH_MAX + 32];
		snprintf(path, sizeof path, candidates[i], dir);
		if (access(path, R_OK) == 0 && realpath(path, out))
			return true;
	}
	(void)len;
	return false;
}

struct cli {
	struct weft_config config;
	const char *json;
	const char *junit;
	const char *html;
	bool tap;
	char runtime[PATH_MAX];
	char program[PATH_MAX];
	struct weft_choice *replay;
	bool token_identified; /* the token names its program (token_program.h) */
	uint64_t token_identity;
	struct weft_yieldspec_list yield; /* --yield-at, --yield-file */
	unsigned jobs;                    /* -j, --jobs */
	bool shard_given;
};

static int parse_options(struct cli *cli, int argc, char **argv, bool replay)
{
	struct option longopts[OPT_COUNT + 1];
	for (int i = 0; i < OPT_COUNT; i++)
		longopts[i] = (struct option){option_table[i].name,
		                              !option_table[i].arg        ? no_argument
		                              : option_table[i].arg[0] == '[' ? optional_argument
		                                                            : required_argument,
		                              NULL, 1000 + i};
	longopts[OPT_COUNT] = (struct option){0};
	struct weft_config *c = &cli->config;
	bool runtime_given = false;
	opterr = 0;
	optind = 1;
	int opt;
	/* "+" stops at the first non-option: the program's own arguments. */
	while ((opt = getopt_long(argc, argv, "+hj:", longopts, NULL)) != -1) {
		unsigned long long n;
		const char *arg = optarg;
		switch (opt) {
		case 1000 + OPT_MAX_EXECUTIONS:
			if (!parse_count(arg, UINT64_MAX, &n) || n == 0)
				return usage_error("--max-executions needs a positive whole number, not '%s'%s",
				                   arg, "");
			c->max_executions = n;
			break;
		case 1000 + OPT_TIME_LIMIT:
			if (!parse_seconds(arg, &c->time_limit))
				return usage_error("--time-limit needs a positive number of seconds, not '%s'%s",
				                   arg, "");
			break;
		case 1000 + OPT_MAX_STEPS:
			if (!parse_count(arg, 50000000, &n) || n < 10)
				return usage_error("--max-steps needs a whole number from 10 to 50000000, not "
				                   "'%s'%s",
				                   arg, "");
			c->max_steps = (uint32_t)n;
			break;
		case 1000 + OPT_HANG_TIMEOUT:
			/* Below a tenth of a second every slow step would look stuck. */
			if (!parse_seconds(arg, &c->hang_timeout) || c->hang_timeout < 0.1 ||
			    c->hang_timeout > 1e6)
				return usage_error(
				    "--hang-timeout needs a number of seconds from 0.1 to "
				    "1000000, not '%s'%s",
				    arg, "");
			break;
		case 1000 + OPT_STRATEGY:
			c->strategy = arg;
			break;
		case 1000 + OPT_KEEP_GOING:
			c->keep_going = true;
			break;
		case 1000 + OPT_NO_SHRINK:
			c->no_shrink = true;
			break;
		case 1000 + OPT_SEED:
			if (!parse_count(arg, UINT64_MAX, &n))
				return usage_error("--seed needs a whole number, not '%s'%s", arg, "");
			c->seed = n;
			c->has_seed = true;
			break;
		case 1000 + OPT_PCT_DEPTH:
			if (!parse_count(arg, 16, &n) || n < 1)
				return usage_error("--pct-depth needs a whole number from 1 to 16, not '%s'%s",
				                   arg, "");
			c->pct_depth = (uint32_t)n;
			break;
		case 1000 + OPT_MAX_BOUND:
			if (!parse_count(arg, 1000, &n))
				return usage_error("--max-bound needs a whole number up to 1000, not '%s'%s", arg,
				                   "");
			c->max_bound = (uint32_t)n;
			break;
		case 1000 + OPT_TIME:
			if (strcmp(arg, "normal") == 0 || strcmp(arg, "adversarial") == 0)
				c->adversarial_time = strcmp(arg, "adversarial") == 0;
			else
				return usage_error("--time needs 'normal' or 'adversarial', not '%s'%s", arg,
				                   "");
			break;
		case 1000 + OPT_TIME_START:
			if (!parse_time_start(arg, &c->time_start_ns))
				return usage_error("--time-start needs 'epoch', 'real' or a positive number of "
				                   "seconds since 1970, not '%s'%s",
				                   arg, "");
			break;
		case 1000 + OPT_SPURIOUS_WAKEUPS:
			/* The count may follow as a word of its own (--spurious-wakeups 3),
			 * not only as --spurious-wakeups=3. */
			if (!arg && optind < argc && argv[optind][0] >= '0' &&
			    argv[optind][0] <= '9')
				arg = argv[optind++];
			if (!arg)
				n = 1;
			else if (!parse_count(arg, 1000, &n))
				return usage_error("--spurious-wakeups needs a whole number from 0 to 1000, not "
				                   "'%s'%s",
				                   arg, "");
			c->spurious_wakeups = (uint32_t)n;
			break;
		case 1000 + OPT_YIELD_AT:
		case 1000 + OPT_YIELD_FILE: {
			char why[512];
			if (opt == 1000 + OPT_YIELD_AT ? !weft_yieldspec_add(&cli->yield, arg, why, sizeof why)
			                               : !weft_yieldspec_add_file(&cli->yield, arg, why,
			                                                          sizeof why))
				return usage_error("%s%s", why, "");
			c->wrapped = cli->yield.specs;
			c->wrapped_text = cli->yield.texts;
			c->nwrapped = cli->yield.n;
			break;
		}
		case 1000 + OPT_SHARD:
			if (!weft_cli_parse_shard(arg, &c->shard_index, &c->shard_count))
				return usage_error("--shard needs K/N with 0 <= K < N, not '%s'%s", arg, "");
			cli->shard_given = true;
			break;
		case 'j':
		case 1000 + OPT_JOBS:
			if (!parse_count(arg, 256, &n) || n < 1)
				return usage_error("-j needs a number of workers from 1 to 256, not '%s'%s", arg,
				                   "");
			cli->jobs = (unsigned)n;
			break;
		case 1000 + OPT_FINGERPRINTS:
			c->fingerprints = true;
			break;
		case 1000 + OPT_JSON:
			cli->json = arg;
			break;
		case 1000 + OPT_HTML:
			cli->html = arg;
			break;
		case 1000 + OPT_JUNIT:
			cli->junit = arg;
			break;
		case 1000 + OPT_TAP:
			cli->tap = true;
			break;
		case 1000 + OPT_SHOW_OUTPUT:
			c->show_output = true;
			break;
		case 1000 + OPT_NO_PROGRESS:
			c->progress = false;
			break;
		case 1000 + OPT_THREADS:
			if (strcmp(arg, "kernel") != 0 && strcmp(arg, "fiber") != 0)
				return usage_error("--threads needs 'kernel' or 'fiber', not '%s'%s", arg, "");
			/* The target's runtime reads the mode from its environment. */
			setenv("WEFT_THREADS", arg, 1);
			c->fiber_threads = strcmp(arg, "fiber") == 0;
			break;
		case 1000 + OPT_SNAPSHOTS:
			/* The fork server of the target reads it (interpose/snapshot.c). */
			setenv("WEFT_SNAPSHOTS", "1", 1);
			break;
		case 1000 + OPT_NO_FORK_SERVER:
			c->fork_server = false;
			break;
		case 1000 + OPT_RACE_POINTS:
			c->race_points = arg;
			break;
		case 1000 + OPT_RUNTIME:
			if (!realpath(arg, cli->runtime) || access(cli->runtime, R_OK) != 0)
				return usage_error("--runtime %s: no such readable file%s", arg, "");
			runtime_given = true;
			break;
		case 'h':
		case 1000 + OPT_HELP:
			usage(stdout);
			exit(EXIT_OK);
		case 1000 + OPT_VERSION:
			printf("weft %s\n", WEFT_VERSION);
			exit(EXIT_OK);
		case ':':
			return usage_error("option %s needs an argument%s", argv[optind - 1], "");
		default:
			if (optopt >= 1000)
				return usage_error("option --%s needs an argument%s",
				                   option_table[optopt - 1000].name, "");
			return usage_error("unknown option '%s'%s", argv[optind - 1], "");
		}
	}
	if (replay) {
		if (optind >= argc || strcmp(argv[optind], "--") == 0)
			return usage_error("weft replay needs a TOKEN before '--'%s%s", "", "");
		char err[256], *schedule = NULL;
		if (!weft_token_split_program(argv[optind], &schedule, &cli->token_identified,
		                              &cli->token_identity)) {
			free(schedule);
			return usage_error("out of memory%s%s", "", "");
		}
		bool decoded =
		    weft_token_decode(schedule, &cli->replay, &c->replay_len, err, sizeof err);
		free(schedule);
		if (!decoded)
			return usage_error("bad token: %s%s", err, "");
		c->replay = cli->replay;
		c->is_replay = true;
		optind++;
	}
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	if (optind >= argc)
		return usage_error("no program given: put it after '--', as in 'weft %s -- ./my_test'%s",
		                   replay ? "replay TOKEN" : "run", "");
	c->argv = argv + optind;
	if (!runtime_given && !find_runtime(cli->runtime, sizeof cli->runtime))
		return usage_error("cannot find libweft.so next to the weft command or in ../lib; "
		                   "set WEFT_RUNTIME or pass --runtime PATH%s%s",
		                   "", "");
	c->runtime_path = cli->runtime;
	return -1;
}

static int check_program(struct cli *cli)
{
	char why[512];
	const char *name = cli->config.argv[0];
	if (!weft_find_program(name, cli->program, sizeof cli->program, why, sizeof why)) {
		fprintf(stderr, "weft: %s\n", why);
		return EXIT_USAGE;
	}
	switch (weft_elf_classify(cli->program, why, sizeof why)) {
	case WEFT_ELF_STATIC:
		fprintf(stderr,
		        "weft: %s is statically linked: weft needs a dynamically linked program "
		        "to load its runtime into; rebuild it without -static\n",
		        name);
		return EXIT_USAGE;
	case WEFT_ELF_UNREADABLE:
		fprintf(stderr, "weft: %s\n", why);
		return EXIT_USAGE;
	default:
		break;
	}
	cli->config.program = cli->program;
	if (cli->token_identified) {
		uint64_t here = weft_program_identity(cli->program, cli->config.argv);
		if (here != cli->token_identity) {
			bool same_program = here >> 32 == cli->token_identity >> 32;
			fprintf(stderr,
			        "weft: this token was recorded with %s: replay it with the program "
			        "and the arguments of the run that printed it\n",
			        same_program ? "other arguments"
			                     : "another program (or another build of it)");
			return EXIT_USAGE;
		}
	}
	return -1;
}

/* A function wrapped with the blocking role waits in the kernel while the
 * other threads run, which fibers on one kernel thread cannot do: such a
 * program runs on kernel threads, and weft says so. */
static void threads_fallback(struct weft_config *c)
{
	if (!c->fiber_threads)
		return;
	for (uint32_t i = 0; i < c->nwrapped; i++)
		if (c->wrapped[i].role == WEFT_WRAP_BLOCKING) {
			fprintf(stderr, "weft: note: --threads=fiber cannot serve the blocking role of "
			                "'%s' (the call waits in the kernel while other threads run): "
			                "running on kernel threads\n",
			        c->wrapped_text[i]);
			setenv("WEFT_THREADS", "kernel", 1);
			c->fiber_threads = false;
			return;
		}
}

int main(int argc, char **argv)
{
	weft_cli_open_std_fds();
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *command = argv[1];
	if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 ||
	    strcmp(command, "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(command, "--version") == 0) {
		printf("weft %s\n", WEFT_VERSION);
		return EXIT_OK;
	}
	if (strcmp(command, "merge") == 0)
		return weft_cli_merge(argc - 1, argv + 1);
	bool replay = strcmp(command, "replay") == 0;
	if (!replay && strcmp(command, "run") != 0)
		return usage_error("unknown command '%s': use 'weft run', 'weft replay' or 'weft merge'%s",
		                   command, "");
	struct cli cli;
	memset(&cli, 0, sizeof cli);
	weft_config_defaults(&cli.config);
	cli.config.progress = isatty(2);
	cli.config.show_output = replay;
	/* A replay starts the program itself, so a debugger sees one plain run. */
	cli.config.fork_server = !replay;
	int rc = parse_options(&cli, argc - 1, argv + 1, replay);
	const char *threads = getenv("WEFT_THREADS");
	if (rc < 0 && threads && strcmp(threads, "kernel") != 0 && strcmp(threads, "fiber") != 0)
		rc = usage_error("WEFT_THREADS needs 'kernel' or 'fiber', not '%s'%s", threads, "");
	if (rc < 0)
		threads_fallback(&cli.config);
	if (rc < 0)
		rc = check_program(&cli);
	if (rc < 0)
		rc = weft_cli_check_outputs(cli.json, cli.junit, cli.tap);
	if (rc < 0 && !replay)
		rc = weft_cli_shard_setup(&cli.config, cli.shard_given, cli.jobs, cli.junit || cli.tap);
	if (rc < 0 && !replay && cli.jobs > 1 && cli.html)
		rc = usage_error(
		    "--html shows one exploration's bugs; it cannot be combined with -j%s%s", "",
		    "");
	if (rc < 0 && !replay && cli.jobs > 1) {
		weft_interrupt_install();
		rc = weft_cli_parallel(&cli.config, cli.jobs, cli.json);
		free(cli.replay);
		weft_yieldspec_list_free(&cli.yield);
		return rc;
	}
	if (rc >= 0) {
		free(cli.replay);
		weft_yieldspec_list_free(&cli.yield);
		return rc;
	}
	struct weft_result result;
	weft_interrupt_install();
	weft_explore(&cli.config, &result);
	weft_report_text(stderr, &cli.config, &result);
	if (cli.json) {
		char err[512];
		if (!weft_report_json(cli.json, &cli.config, &result, err, sizeof err)) {
			fprintf(stderr, "weft: %s\n", err);
			if (result.verdict == WEFT_VERDICT_OK)
				result.verdict = WEFT_VERDICT_ERROR;
		}
	}
	if (cli.html) {
		char err[512];
		if (!weft_report_html(cli.html, &cli.config, &result, err, sizeof err)) {
			fprintf(stderr, "weft: %s\n", err);
			if (result.verdict == WEFT_VERDICT_OK)
				result.verdict = WEFT_VERDICT_ERROR;
		}
	}
	if (cli.junit) {
		char err[512];
		if (!weft_report_junit(cli.junit, &cli.config, &result, err, sizeof err)) {
			fprintf(stderr, "weft: %s\n", err);
			if (result.verdict == WEFT_VERDICT_OK)
				result.verdict = WEFT_VERDICT_ERROR;
		}
	}
	if (cli.tap)
		weft_report_tap(stdout, &cli.config, &result);
	bool stdout_written = weft_cli_flush_stdout();
	rc = result.verdict == WEFT_VERDICT_OK ? EXIT_OK
	     : result.verdict == WEFT_VERDICT_BUG ? EXIT_BUG
	                                          : EXIT_USAGE;
	if (!stdout_written)
		rc = EXIT_USAGE;
	if (result.interrupted)
		rc = 128 + result.interrupted; /* as a shell reports a command ended by it */
	weft_result_free(&result);
	free(cli.replay);
	weft_yieldspec_list_free(&cli.yield);
	return rc;
}
