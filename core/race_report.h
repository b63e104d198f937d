/* Words for a data race found by the runtime (the race record of an
 * execution's exchange region, protocol.h): the headline, the section of
 * the text report with both accesses and their call stacks, and the same
 * in the JSON report. */
#ifndef WEFT_RACE_REPORT_H
#define WEFT_RACE_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "protocol.h"
#include "symbolize.h"

/* "T2 writes 4 bytes of counter at racy.c:14 (worker) while T1 reads it at
 * racy.c:20 (main), and nothing orders the two (no happens-before)". */
void weft_race_headline(const struct weft_shm *snap, char *buf, size_t len);

/* The report's section: where, then each access with its stack. */
void weft_race_print(FILE *f, const struct weft_shm *snap, struct weft_symbolizer *sym);

/* The JSON object {"address", "object", "accesses": [...]}, the later
 * access first; json_string writes one escaped string. */
void weft_race_json(FILE *f, const struct weft_shm *snap, struct weft_symbolizer *sym,
                    void (*json_string)(FILE *f, const char *s));

#endif
