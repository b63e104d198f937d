/* `weft run -j N`: the weft process forks N workers after parsing its
 * options; worker k explores shard k of N with weft_explore() and writes its
 * JSON report (with fingerprints) and its text report to a private
 * directory; the parent waits for all of them and merges the reports as
 * `weft merge` does. With --shard K/M as well, worker k takes the shard
 * K + M*k of M*N, which together are exactly shard K of M (shard.c owns a
 * subtree by hash mod the count). A --max-executions budget is split among
 * the workers, so a randomised strategy runs the same executions as one
 * process would. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../core/report.h"
#include "cli.h"

#define PARALLEL_MAX_JOBS 256

static int worker(struct weft_config config, unsigned k, unsigned jobs, const char *dir)
{
	uint32_t base = config.shard_count > 1 ? config.shard_index : 0;
	uint32_t groups = config.shard_count > 1 ? config.shard_count : 1;
	config.shard_index = base + groups * k;
	config.shard_count = groups * jobs;
	config.progress = false;
	config.fingerprints = true;
	config.worker = k + 1;
	if (config.max_executions)
		config.max_executions =
		    config.max_executions / jobs + (k < config.max_executions % jobs);
	struct weft_result result;
	weft_explore(&config, &result);
	char path[4096], err[512];
	snprintf(path, sizeof path, "%s/%u.txt", dir, k);
	FILE *text = fopen(path, "w");
	if (text) {
		weft_report_text(text, &config, &result);
		fclose(text);
	}
	snprintf(path, sizeof path, "%s/%u.json", dir, k);
	int rc = result.verdict == WEFT_VERDICT_OK ? 0 : result.verdict == WEFT_VERDICT_BUG ? 1 : 2;
	if (!weft_report_json(path, &config, &result, err, sizeof err)) {
		fprintf(stderr, "weft: worker %u: %s\n", k, err);
		rc = 3;
	}
	weft_result_free(&result);
	return rc;
}

/* The first worker's text report that shows a bug (or an error): the whole
 * interleaving, which the merged summary only names. */
static void show_worker_report(const char *dir, unsigned jobs, const int *status)
{
	for (unsigned k = 0; k < jobs; k++) {
		if (status[k] != 1 && status[k] != 2)
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%u.txt", dir, k);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		fprintf(stderr, "weft: worker %u of %u:\n", k, jobs);
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			fwrite(buf, 1, n, stderr);
		fclose(f);
		return;
	}
}

int weft_cli_parallel(const struct weft_config *given, unsigned jobs, const char *json_out)
{
	struct weft_config config = *given;
	if (config.max_executions && config.max_executions < jobs)
		jobs = (unsigned)config.max_executions;
	if (jobs > PARALLEL_MAX_JOBS)
		jobs = PARALLEL_MAX_JOBS;
	/* Every worker must draw from the same base seed. */
	if (!config.has_seed) {
		uint64_t fresh = 0;
		if (getrandom(&fresh, sizeof fresh, 0) != (ssize_t)sizeof fresh)
			fresh = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
		config.seed = fresh;
		config.has_seed = true;
	}
	char dir[] = "/tmp/weft-jobs-XXXXXX";
	if (!mkdtemp(dir)) {
		fprintf(stderr,
		        "weft: -j: cannot create a directory for the workers' reports: %s\n",
		        strerror(errno));
		return 2;
	}
	pid_t pids[PARALLEL_MAX_JOBS];
	int status[PARALLEL_MAX_JOBS];
	fflush(NULL);
	for (unsigned k = 0; k < jobs; k++) {
		pids[k] = fork();
		if (pids[k] == 0)
			_exit(worker(config, k, jobs, dir));
		if (pids[k] < 0)
			fprintf(stderr, "weft: -j: cannot start worker %u: %s\n", k,
			        strerror(errno));
	}
	bool failed = false;
	for (unsigned k = 0; k < jobs; k++) {
		int ws = 0;
		status[k] = -1;
		if (pids[k] > 0 && waitpid(pids[k], &ws, 0) == pids[k] && WIFEXITED(ws))
			status[k] = WEXITSTATUS(ws);
		if (status[k] < 0 || status[k] > 2) {
			fprintf(stderr, "weft: -j: worker %u of %u failed without a report\n", k,
			        jobs);
			failed = true;
		}
	}
	show_worker_report(dir, jobs, status);
	char *paths[PARALLEL_MAX_JOBS];
	char names[PARALLEL_MAX_JOBS][sizeof dir + 16];
	for (unsigned k = 0; k < jobs; k++) {
		snprintf(names[k], sizeof names[k], "%s/%u.json", dir, k);
		paths[k] = names[k];
	}
	int rc = failed ? 2 : weft_cli_merge_files(paths, (int)jobs, json_out);
	for (unsigned k = 0; k < jobs; k++) {
		char text[sizeof dir + 16];
		snprintf(text, sizeof text, "%s/%u.txt", dir, k);
		unlink(text);
		unlink(names[k]);
	}
	rmdir(dir);
	return rc;
}

bool weft_cli_parse_shard(const char *text, uint32_t *index, uint32_t *count)
{
	char *end;
	if (!text || *text < '0' || *text > '9')
		return false;
	errno = 0;
	unsigned long k = strtoul(text, &end, 10);
	if (errno || *end != '/' || end[1] < '0' || end[1] > '9')
		return false;
	unsigned long n = strtoul(end + 1, &end, 10);
	if (errno || *end || n < 1 || n > (1ul << 20) || k >= n)
		return false;
	*index = (uint32_t)k;
	*count = (uint32_t)n;
	return true;
}

int weft_cli_shard_setup(struct weft_config *config, bool shard_given, unsigned jobs,
                         bool other_reports)
{
	const char *total = getenv("TEST_TOTAL_SHARDS"), *index = getenv("TEST_SHARD_INDEX");
	if (!shard_given && total && *total) {
		char text[64];
		snprintf(text, sizeof text, "%s/%s", index && *index ? index : "", total);
		if (!weft_cli_parse_shard(text, &config->shard_index, &config->shard_count)) {
			fprintf(stderr,
			        "weft: TEST_SHARD_INDEX=%s and TEST_TOTAL_SHARDS=%s do not name "
			        "a shard (0 <= index < total); unset them or pass --shard K/N\n",
			        index ? index : "(unset)", total);
			return 2;
		}
		/* Bazel asks a sharded test to say that it shards. */
		const char *status = getenv("TEST_SHARD_STATUS_FILE");
		FILE *f = status && *status ? fopen(status, "a") : NULL;
		if (f)
			fclose(f);
	}
	if (jobs > 1 && other_reports) {
		fprintf(stderr,
		        "weft: -j merges the workers' JSON reports; --junit and --tap need one "
		        "process: leave out -j or use --json\n");
		return 2;
	}
	return -1;
}
