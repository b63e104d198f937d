/* Reports of an exploration: the human-readable one on a stream (headline,
 * interleaving step by step with source locations, the threads' states at
 * the end, the program's last output and the replay command) and the JSON
 * one for machines. */
#ifndef WEFT_REPORT_H
#define WEFT_REPORT_H

#include <stdio.h>

#include "explore.h"

/* The shell command that replays a bug, with the arguments quoted. */
char *weft_replay_command(const struct weft_config *config, const char *token,
                          const char *race_points);

void weft_report_text(FILE *f, const struct weft_config *config,
                      const struct weft_result *result);

/* Writes the JSON report to path ("-" for stdout); false with a message in
 * err when the file cannot be written. */
bool weft_report_json(const char *path, const struct weft_config *config,
                      const struct weft_result *result, char *err, size_t errlen);

/* The HTML report: one self-contained page with each bug's interleaving
 * as a timeline (report_html.c). */
bool weft_report_html(const char *path, const struct weft_config *config,
                      const struct weft_result *result, char *err, size_t errlen);

/* JUnit XML: one test case for the program, the text report in the failure. */
bool weft_report_junit(const char *path, const struct weft_config *config,
                       const struct weft_result *result, char *err, size_t errlen);

/* TAP version 13: one test point for the program. */
void weft_report_tap(FILE *f, const struct weft_config *config,
                     const struct weft_result *result);

#endif
