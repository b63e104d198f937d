/* `weft merge REPORT.json...`: one verdict from the JSON reports of the
 * shards of a run (--shard K/N, -j N, a CI matrix or a Bazel sharded test).
 * Bugs are united (same kind and message: one bug, occurrences added),
 * executions added, the run is complete only if every shard of 0..N-1 is
 * there and complete, and the distinct traces are the union of the shards'
 * fingerprints. It reads JSON with json-c; it does not re-run anything. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "cli.h"

static int merge_error(const char *path, const char *what)
{
	fprintf(stderr, "weft merge: %s: %s\n", path, what);
	return 2;
}

static struct json_object *member(struct json_object *o, const char *key, json_type type)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

/* A report as `weft run --json` writes it, or NULL with a message. */
static struct json_object *load_report(const char *path, int *rc)
{
	/* A device or a FIFO could block or never end: reports are files. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		*rc =
		    merge_error(path, "not a regular file; expected a report written by 'weft run "
		                      "--json FILE'");
		return NULL;
	}
	FILE *f = fopen(path, "r");
	if (!f) {
		char why[256];
		snprintf(why, sizeof why, "cannot open it: %s", strerror(errno));
		*rc = merge_error(path, why);
		return NULL;
	}
	fclose(f);
	struct json_object *report = json_object_from_file(path);
	if (!report) {
		*rc = merge_error(path, "not JSON; expected a report written by 'weft run --json'");
		return NULL;
	}
	if (!json_object_is_type(report, json_type_object) ||
	    !member(report, "verdict", json_type_string) ||
	    !member(report, "complete", json_type_boolean) ||
	    !member(report, "executions", json_type_int) ||
	    !member(report, "program", json_type_array) ||
	    !member(report, "bugs", json_type_array) ||
	    !member(report, "stats", json_type_object)) {
		json_object_put(report);
		*rc =
		    merge_error(path, "not a weft report (it needs \"verdict\", \"complete\", "
		                      "\"executions\", \"program\", \"bugs\" and \"stats\"); write "
		                      "one with 'weft run --json FILE'");
		return NULL;
	}
	return report;
}

static int64_t get_int(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key, json_type_int);
	return v ? json_object_get_int64(v) : 0;
}

static const char *get_string(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key, json_type_string);
	return v ? json_object_get_string(v) : "";
}

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

struct merged {
	struct json_object *bugs; /* array, one per distinct bug */
	uint64_t *fingerprints;
	size_t nfingerprints, cap;
	/* complete: every shard explored all of its interleavings of the
	 * operations weft sees; hidden: some shard could not see everything */
	bool all_fingerprints, complete, error, bug, hidden;
	int64_t executions, skipped, shards;
	double elapsed;
	char stop_reason[512];
	unsigned char *shard_seen; /* sharded reports: which indices are there */
};

static void add_bug(struct merged *m, struct json_object *bug)
{
	const char *kind = get_string(bug, "kind"), *message = get_string(bug, "message");
	for (size_t i = 0; i < json_object_array_length(m->bugs); i++) {
		struct json_object *old = json_object_array_get_idx(m->bugs, i);
		if (strcmp(get_string(old, "kind"), kind) == 0 &&
		    strcmp(get_string(old, "message"), message) == 0) {
			json_object_object_add(old, "occurrences",
			                       json_object_new_int64(get_int(old, "occurrences") +
			                                             get_int(bug, "occurrences")));
			return;
		}
	}
	json_object_array_add(m->bugs, json_object_get(bug));
}

static int add_fingerprints(struct merged *m, const char *path, struct json_object *list)
{
	size_t n = json_object_array_length(list);
	if (m->nfingerprints + n > m->cap) {
		size_t cap = (m->nfingerprints + n) * 2;
		uint64_t *f = realloc(m->fingerprints, cap * sizeof *f);
		if (!f)
			return merge_error(path, "out of memory reading the fingerprints");
		m->fingerprints = f;
		m->cap = cap;
	}
	for (size_t i = 0; i < n; i++) {
		const char *hex = json_object_get_string(json_object_array_get_idx(list, i));
		char *end;
		errno = 0;
		unsigned long long v = hex ? strtoull(hex, &end, 16) : 0;
		if (!hex || !*hex || *end || errno)
			return merge_error(path, "a fingerprint is not a hexadecimal number");
		m->fingerprints[m->nfingerprints++] = v;
	}
	return 0;
}

static int add_report(struct merged *m, const char *path, struct json_object *report)
{
	struct json_object *stats = member(report, "stats", json_type_object);
	const char *verdict = get_string(report, "verdict");
	m->error |= strcmp(verdict, "error") == 0;
	m->bug |= strcmp(verdict, "bug") == 0;
	m->executions += get_int(report, "executions");
	m->skipped += get_int(stats, "skipped_executions");
	struct json_object *elapsed = member(report, "elapsed_seconds", json_type_double);
	if (elapsed && json_object_get_double(elapsed) > m->elapsed)
		m->elapsed = json_object_get_double(elapsed);
	/* Reports that name what weft could not see say "seen_complete". */
	struct json_object *seen = member(report, "seen_complete", json_type_boolean);
	struct json_object *coverage = member(report, "coverage", json_type_string);
	if (coverage && strcmp(json_object_get_string(coverage), "all") != 0)
		m->hidden = true;
	if (!json_object_get_boolean(seen ? seen : member(report, "complete", json_type_boolean))) {
		if (m->complete || strcmp(verdict, "error") == 0)
			snprintf(m->stop_reason, sizeof m->stop_reason, "%s: %s", path,
			         get_string(report, "stop_reason"));
		m->complete = false;
	}
	struct json_object *shard = member(stats, "shard", json_type_array);
	if (shard && json_object_array_length(shard) == 2) {
		int64_t k = json_object_get_int64(json_object_array_get_idx(shard, 0));
		int64_t n = json_object_get_int64(json_object_array_get_idx(shard, 1));
		if (n < 1 || k < 0 || k >= n || (m->shards && n != m->shards))
			return merge_error(
			    path, "its shard does not match the other reports' (\"shard\": "
			          "[K, N] must have the same N in every report)");
		if (!m->shard_seen && !(m->shard_seen = calloc((size_t)n, 1)))
			return merge_error(path, "out of memory");
		if (m->shard_seen[k])
			return merge_error(path, "another report is of the same shard");
		m->shard_seen[k] = 1;
		m->shards = n;
	}
	struct json_object *bugs = member(report, "bugs", json_type_array);
	for (size_t i = 0; i < json_object_array_length(bugs); i++)
		add_bug(m, json_object_array_get_idx(bugs, i));
	struct json_object *fingerprints = member(report, "fingerprints", json_type_array);
	if (!fingerprints) {
		m->all_fingerprints = false;
		return 0;
	}
	return add_fingerprints(m, path, fingerprints);
}

static struct json_object *merged_report(struct merged *m, struct json_object *first,
                                         uint64_t distinct)
{
	const char *verdict = m->error ? "error" : m->bug ? "bug" : "ok";
	struct json_object *out = json_object_new_object();
	json_object_object_add(out, "verdict", json_object_new_string(verdict));
	json_object_object_add(out, "complete", json_object_new_boolean(m->complete && !m->hidden));
	json_object_object_add(out, "seen_complete", json_object_new_boolean(m->complete));
	json_object_object_add(out, "coverage",
	                       json_object_new_string(m->hidden ? "synchronisation-calls" : "all"));
	json_object_object_add(out, "executions", json_object_new_int64(m->executions));
	json_object_object_add(out, "elapsed_seconds", json_object_new_double(m->elapsed));
	json_object_object_add(out, "stop_reason", json_object_new_string(m->stop_reason));
	struct json_object *stats = json_object_new_object();
	json_object_object_add(stats, "strategy",
	                       json_object_new_string(get_string(
	                           member(first, "stats", json_type_object), "strategy")));
	json_object_object_add(stats, "executions", json_object_new_int64(m->executions));
	json_object_object_add(stats, "distinct_traces",
	                       m->all_fingerprints ? json_object_new_int64((int64_t)distinct)
	                                           : NULL);
	json_object_object_add(stats, "distinct_bugs",
	                       json_object_new_int64((int64_t)json_object_array_length(m->bugs)));
	json_object_object_add(stats, "shards", json_object_new_int64(m->shards));
	json_object_object_add(stats, "skipped_executions", json_object_new_int64(m->skipped));
	json_object_object_add(out, "stats", stats);
	json_object_object_add(out, "program",
	                       json_object_get(member(first, "program", json_type_array)));
	json_object_object_add(out, "bugs", json_object_get(m->bugs));
	if (m->all_fingerprints) {
		struct json_object *list = json_object_new_array();
		for (size_t i = 0; i < distinct; i++) {
			char hex[24];
			snprintf(hex, sizeof hex, "%016" PRIx64, m->fingerprints[i]);
			json_object_array_add(list, json_object_new_string(hex));
		}
		json_object_object_add(out, "fingerprints", list);
	}
	return out;
}

int weft_cli_merge_files(char *const *paths, int n, const char *json_out)
{
	if (n < 1) {
		fprintf(stderr,
		        "weft merge: no reports given: weft merge [--json FILE] REPORT.json...\n");
		return 2;
	}
	struct merged m = {
	    .bugs = json_object_new_array(), .all_fingerprints = true, .complete = true};
	snprintf(m.stop_reason, sizeof m.stop_reason, "every interleaving was explored");
	struct json_object *first = NULL;
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		struct json_object *report = load_report(paths[i], &rc);
		if (!report)
			break;
		const char *program =
		    json_object_to_json_string(member(report, "program", json_type_array));
		if (first && strcmp(program, json_object_to_json_string(
		                                 member(first, "program", json_type_array))) != 0) {
			rc = merge_error(paths[i],
			                 "a report of another program than the first report's; "
			                 "merge only the shards of one run");
		} else if (rc == 0)
			rc = add_report(&m, paths[i], report);
		if (!first)
			first = report;
		else
			json_object_put(report);
	}
	for (int64_t k = 0; rc == 0 && k < m.shards; k++)
		if (!m.shard_seen[k]) {
			if (m.complete)
				snprintf(m.stop_reason, sizeof m.stop_reason,
				         "shard %" PRId64 "/%" PRId64 " is missing", k, m.shards);
			m.complete = false;
		}
	if (rc == 0) {
		if (m.bug && !m.error)
			snprintf(m.stop_reason, sizeof m.stop_reason, "a bug was found");
		qsort(m.fingerprints, m.nfingerprints, sizeof *m.fingerprints, by_value);
		size_t distinct = 0;
		for (size_t i = 0; i < m.nfingerprints; i++)
			if (i == 0 || m.fingerprints[i] != m.fingerprints[i - 1])
				m.fingerprints[distinct++] = m.fingerprints[i];
		struct json_object *out = merged_report(&m, first, distinct);
		size_t nbugs = json_object_array_length(m.bugs);
		for (size_t i = 0; i < nbugs; i++) {
			struct json_object *bug = json_object_array_get_idx(m.bugs, i);
			fprintf(stderr, "weft: bug: %s: %s\n  replay: %s\n",
			        get_string(bug, "kind"), get_string(bug, "message"),
			        get_string(bug, "replay"));
		}
		char traces[64] = "unknown (a report lacks \"fingerprints\")";
		if (m.all_fingerprints)
			snprintf(traces, sizeof traces, "%zu", distinct);
		fprintf(stderr,
		        "weft: merged %d report%s: %s, %" PRId64 " executions (%" PRId64
		        " skipped), %s distinct traces, %zu distinct bug%s; %s\n",
		        n, n == 1 ? "" : "s",
		        m.error ? "error"
		        : m.bug ? "bug found"
		                : "no bug",
		        m.executions, m.skipped, traces, nbugs, nbugs == 1 ? "" : "s",
		        !m.complete ? m.stop_reason
		        : m.hidden ? "complete for the operations weft sees: every interleaving of "
		                     "them was explored"
		                   : "complete: every interleaving was explored");
		if (json_out) {
			const char *text = json_object_to_json_string_ext(
			    out, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			             JSON_C_TO_STRING_NOSLASHESCAPE);
			FILE *f = strcmp(json_out, "-") == 0 ? stdout : fopen(json_out, "w");
			bool ok = f && fprintf(f, "%s\n", text) >= 0;
			if (f && f != stdout)
				ok = fclose(f) == 0 && ok;
			if (!ok)
				rc = merge_error(json_out, "cannot write the merged report");
		}
		json_object_put(out);
		if (rc == 0)
			rc = m.error ? 2 : m.bug ? 1 : 0;
	}
	json_object_put(first);
	json_object_put(m.bugs);
	free(m.fingerprints);
	free(m.shard_seen);
	return rc;
}

int weft_cli_merge(int argc, char **argv)
{
	const char *json_out = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "--json") == 0 && i + 1 < argc)
			json_out = argv[++i];
		else if (strncmp(argv[i], "--json=", 7) == 0)
			json_out = argv[i] + 7;
		else {
			fprintf(stderr,
			        "weft merge: unknown option '%s': weft merge [--json FILE] "
			        "REPORT.json...\n",
			        argv[i]);
			return 2;
		}
	}
	return weft_cli_merge_files(argv + i, argc - i, json_out);
}
