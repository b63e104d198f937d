/* The parts of the weft command beyond `run` and `replay`: merging the JSON
 * reports of shards (merge.c) and exploring with several worker processes
 * (parallel.c). Both return the command's exit status. */
#ifndef WEFT_CLI_H
#define WEFT_CLI_H

#include "../core/explore.h"

/* `weft merge [--json FILE] REPORT.json...`; argv[0] is "merge". */
int weft_cli_merge(int argc, char **argv);
/* Merges the reports at paths[0..n): summary on stderr, the merged JSON
 * report to json_out when not NULL ("-" for stdout). */
int weft_cli_merge_files(char *const *paths, int n, const char *json_out);

/* `weft run -j N`: N worker processes, worker k exploring shard k of N (of
 * the --shard given, if any), their reports merged into one. */
int weft_cli_parallel(const struct weft_config *config, unsigned jobs, const char *json_out);

/* "K/N" with 0 <= K < N. */
bool weft_cli_parse_shard(const char *text, uint32_t *index, uint32_t *count);
/* The shard from Bazel's TEST_SHARD_INDEX and TEST_TOTAL_SHARDS unless
 * --shard was given (and TEST_SHARD_STATUS_FILE touched to say weft shards);
 * -1 to go on, else the exit status after a one-line error. */
int weft_cli_shard_setup(struct weft_config *config, bool shard_given, unsigned jobs,
                         bool other_reports);

/* The command's surroundings (inputs.c): put /dev/null on closed standard
 * descriptors (remembering which were closed); check the report outputs
 * before exploring (-1 to go on, else 2 after a one-line error); flush
 * stdout, false after a one-line error when it cannot be written. */
void weft_cli_open_std_fds(void);
int weft_cli_check_outputs(const char *json, const char *junit, bool tap);
bool weft_cli_flush_stdout(void);

#endif
