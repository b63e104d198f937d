/* How the executions' processes started (see exec_model.h). */
#include "exec_model.h"
#include "sanitize.h"

#include <string.h>

void weft_exec_models_note(struct weft_exec_models *m, const struct weft_shm *shm)
{
	uint32_t model = shm->exec_model;
	if (model > WEFT_EXEC_MODEL_SNAPSHOT)
		model = WEFT_EXEC_MODEL_SPAWN;
	m->started[model]++;
	/* Restored to the branch point: the first execution's reason not to
	 * restore to main (--snapshots) is moot. */
	if (model == WEFT_EXEC_MODEL_SNAPSHOT)
		m->restore_why[0] = 0;
	if (shm->restore_why[0]) {
		/* The program's process wrote it: terminal- and JSON-safe. */
		memcpy(m->restore_why, shm->restore_why, sizeof m->restore_why);
		m->restore_why[sizeof m->restore_why - 1] = 0;
		weft_text_sanitize(m->restore_why, false);
	}
}

static const char *name(const struct weft_exec_models *m)
{
	if (m->started[WEFT_EXEC_MODEL_SNAPSHOT])
		return "snapshot-restore-in-place";
	if (m->started[WEFT_EXEC_MODEL_RESTORE])
		return "restore-in-place";
	if (m->started[WEFT_EXEC_MODEL_FORK])
		return "fork-server";
	return "process-per-execution";
}

void weft_exec_models_report_text(FILE *f, const struct weft_exec_models *m, int fibers)
{
	uint64_t restored = m->started[WEFT_EXEC_MODEL_RESTORE];
	uint64_t at_branch = m->started[WEFT_EXEC_MODEL_SNAPSHOT];
	uint64_t total = restored + at_branch + m->started[WEFT_EXEC_MODEL_FORK] +
	                 m->started[WEFT_EXEC_MODEL_SPAWN];
	if (at_branch)
		fprintf(f,
		        "weft: %llu of %llu executions started at the first branch point, the "
		        "process restored in place to its snapshot there (no fork)\n",
		        (unsigned long long)at_branch, (unsigned long long)total);
	if (restored)
		fprintf(f,
		        "weft: %llu of %llu executions restored the process in place (no fork)\n",
		        (unsigned long long)restored, (unsigned long long)total);
	if (fibers && m->restore_why[0])
		fprintf(f, "weft: note: %s executions were not restored in place: %s\n",
		        restored || at_branch ? "some" : "the", m->restore_why);
}

void weft_exec_models_report_json(FILE *f, const struct weft_exec_models *m,
                                  void (*json_string)(FILE *f, const char *s))
{
	fprintf(f, ", \"execution\": \"%s\", \"restored_executions\": %llu", name(m),
	        (unsigned long long)(m->started[WEFT_EXEC_MODEL_RESTORE] +
	                             m->started[WEFT_EXEC_MODEL_SNAPSHOT]));
	if (m->restore_why[0]) {
		fprintf(f, ", \"not_restored_because\": ");
		json_string(f, m->restore_why);
	}
}
