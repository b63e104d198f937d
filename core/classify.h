/* Judging one execution: from the runtime's outcome in the exchange region
 * and the way the process ended, decide whether it shows a bug, which kind,
 * and the one-line message that heads its report. */
#ifndef WEFT_CLASSIFY_H
#define WEFT_CLASSIFY_H

#include "executor.h"

struct weft_verdict_info {
	enum weft_bug_kind kind;
	bool error; /* not a bug of the program: weft cannot go on (message says why) */
	int exit_status;
	int signal;
	char message[WEFT_MESSAGE_LEN * 2];
};

void weft_classify(const struct weft_config *config, const struct weft_shm *shm,
                   const struct weft_run_outcome *out, struct weft_verdict_info *v);

#endif
