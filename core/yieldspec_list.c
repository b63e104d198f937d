/* The --yield-at and --yield-file options of one command line: specs
 * parsed, checked against each other (one spec per function, at most
 * WEFT_MAX_WRAPPED) and kept with their text for the replay command. The
 * explorer's side only; the runtime never sees the text. */
#define _GNU_SOURCE
#include "yieldspec.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool add(struct weft_yieldspec_list *list, const char *text, const char *origin, char *err,
                size_t errlen)
{
	struct weft_wrap_spec spec;
	char why[400];
	if (!weft_yieldspec_parse(text, &spec, why, sizeof why)) {
		snprintf(err, errlen, "%s '%s': %s", origin, text, why);
		return false;
	}
	for (uint32_t i = 0; i < list->n; i++)
		if (strcmp(list->specs[i].name, spec.name) == 0) {
			snprintf(err, errlen,
			         "%s '%s': %s is already wrapped by '%s'; give each "
			         "function once",
			         origin, text, spec.name, list->texts[i]);
			return false;
		}
	if (list->n == WEFT_MAX_WRAPPED) {
		snprintf(err, errlen, "%s '%s': weft wraps at most %d functions (WEFT_MAX_WRAPPED)",
		         origin, text, WEFT_MAX_WRAPPED);
		return false;
	}
	char *copy = strdup(text);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	list->specs[list->n] = spec;
	list->texts[list->n++] = copy;
	list->texts[list->n] = NULL;
	return true;
}

bool weft_yieldspec_add(struct weft_yieldspec_list *list, const char *text, char *err,
                        size_t errlen)
{
	return add(list, text, "--yield-at", err, errlen);
}

bool weft_yieldspec_add_file(struct weft_yieldspec_list *list, const char *path, char *err,
                             size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "--yield-file %s: cannot read it: %s", path, strerror(errno));
		return false;
	}
	char line[512], origin[300];
	bool ok = true;
	for (unsigned number = 1; ok && fgets(line, sizeof line, f); number++) {
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *start = line, *end = line + strlen(line);
		while (isspace((unsigned char)*start))
			start++;
		while (end > start && isspace((unsigned char)end[-1]))
			*--end = '\0';
		snprintf(origin, sizeof origin, "--yield-file %s:%u", path, number);
		if (*start)
			ok = add(list, start, origin, err, errlen);
	}
	fclose(f);
	return ok;
}

void weft_yieldspec_list_free(struct weft_yieldspec_list *list)
{
	for (uint32_t i = 0; i < list->n; i++)
		free(list->texts[i]);
	list->n = 0;
	list->texts[0] = NULL;
}
