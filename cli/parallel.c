/* `weft run -j N`: the weft process forks N workers after parsing its
 * options; worker k explores shard k of N with weft_explore() and writes its
 * JSON report (with fingerprints) and its text report to two anonymous
 * files (memfds, named /proc/self/fd/N in both processes: nothing is left
 * on disk whatever happens to weft); the parent waits for all of them and merges the reports as
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
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../core/interrupt.h"
#include "../core/report.h"
#include "cli.h"

#define PARALLEL_MAX_JOBS 256

/* The report files of worker k: text and JSON. */
struct worker_files {
	int text_fd, json_fd;
	char text[64], json[64];
};

static int worker(struct weft_config config, unsigned k, unsigned jobs,
                  const struct worker_files *files)
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
	char err[512];
	FILE *text = fopen(files->text, "w");
	if (text) {
		weft_report_text(text, &config, &result);
		fclose(text);
	}
	int rc = result.verdict == WEFT_VERDICT_OK ? 0 : result.verdict == WEFT_VERDICT_BUG ? 1 : 2;
	if (!weft_report_json(files->json, &config, &result, err, sizeof err)) {
		fprintf(stderr, "weft: worker %u: %s\n", k, err);
		rc = 3;
	}
	weft_result_free(&result);
	return rc;
}

/* The first worker's text report that shows a bug (or an error): the whole
 * interleaving, which the merged summary only names. */
static void show_worker_report(const struct worker_files *files, unsigned jobs, const int *status)
{
	for (unsigned k = 0; k < jobs; k++) {
		if (status[k] != 1 && status[k] != 2)
			continue;
		FILE *f = fopen(files[k].text, "r");
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
	static struct worker_files files[PARALLEL_MAX_JOBS];
	for (unsigned k = 0; k < jobs; k++) {
		files[k].text_fd = memfd_create("weft-worker-text", 0);
		files[k].json_fd = memfd_create("weft-worker-json", 0);
		if (files[k].text_fd < 0 || files[k].json_fd < 0) {
			fprintf(stderr, "weft: -j: cannot create the workers' report files: %s\n",
			        strerror(errno));
			for (unsigned j = 0; j <= k; j++) {
				if (files[j].text_fd >= 0)
					close(files[j].text_fd);
				if (files[j].json_fd >= 0)
					close(files[j].json_fd);
			}
			return 2;
		}
		snprintf(files[k].text, sizeof files[k].text, "/proc/self/fd/%d", files[k].text_fd);
		snprintf(files[k].json, sizeof files[k].json, "/proc/self/fd/%d", files[k].json_fd);
	}
	pid_t pids[PARALLEL_MAX_JOBS];
	int status[PARALLEL_MAX_JOBS];
	pid_t parent = getpid();
	fflush(NULL);
	for (unsigned k = 0; k < jobs; k++) {
		pids[k] = fork();
		if (pids[k] == 0) {
			/* A worker, its fork server and its executions end with weft. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(3);
			_exit(worker(config, k, jobs, &files[k]));
		}
		if (pids[k] < 0)
			fprintf(stderr, "weft: -j: cannot start worker %u: %s\n", k,
			        strerror(errno));
	}
	bool failed = false, forwarded = false;
	for (unsigned k = 0; k < jobs; k++) {
		int ws = 0;
		status[k] = -1;
		pid_t got = -1;
		while (pids[k] > 0 && (got = waitpid(pids[k], &ws, 0)) < 0 && errno == EINTR) {
			/* SIGINT or SIGTERM sent to this process alone: every worker
			 * stops, writes its reports, and the merge says so. */
			if (weft_interrupted() && !forwarded) {
				forwarded = true;
				for (unsigned j = 0; j < jobs; j++)
					if (pids[j] > 0)
						kill(pids[j], weft_interrupted());
			}
		}
		if (pids[k] > 0 && got == pids[k] && WIFEXITED(ws))
			status[k] = WEXITSTATUS(ws);
		if (status[k] < 0 || status[k] > 2) {
			fprintf(stderr, "weft: -j: worker %u of %u failed without a report\n", k,
			        jobs);
			failed = true;
		}
	}
	show_worker_report(files, jobs, status);
	char *paths[PARALLEL_MAX_JOBS];
	for (unsigned k = 0; k < jobs; k++)
		paths[k] = files[k].json;
	int rc = failed ? 2 : weft_cli_merge_files(paths, (int)jobs, json_out);
	for (unsigned k = 0; k < jobs; k++) {
		close(files[k].text_fd);
		close(files[k].json_fd);
	}
	if (weft_interrupted())
		rc = 128 + weft_interrupted();
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
