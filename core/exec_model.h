/* How the executions' processes started (exec_model.c): restored in place
 * (to main, or to the first branch point), forked by the fork server, or
 * started anew; the summary and the JSON report say it, with the reason
 * when fibers could not restore. */
#ifndef WEFT_EXEC_MODEL_H
#define WEFT_EXEC_MODEL_H

#include <stdint.h>
#include <stdio.h>

#include "protocol.h"

struct weft_exec_models {
	uint64_t started[4];   /* executions per enum weft_exec_model */
	char restore_why[160]; /* the last reason given for not restoring */
};

/* After an execution whose region was checked. */
void weft_exec_models_note(struct weft_exec_models *m, const struct weft_shm *shm);

/* One line for the summary, when something is worth saying. */
void weft_exec_models_report_text(FILE *f, const struct weft_exec_models *m, int fibers);

/* ", \"execution\": ..." for the JSON report's stats. */
void weft_exec_models_report_json(FILE *f, const struct weft_exec_models *m,
                                  void (*json_string)(FILE *f, const char *s));

#endif
