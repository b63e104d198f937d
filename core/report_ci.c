/* Reports for CI systems: JUnit XML (one test case per program, the text
 * report and the replay command in the failure) and TAP (one test point per
 * program, details in a YAML block). Both are rendered from the same
 * result as the text report. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "report.h"

static char *render_text(const struct weft_config *config, const struct weft_result *result)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	weft_report_text(f, config, result);
	fclose(f);
	return text;
}

static void xml_escaped(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			/* XML 1.0 forbids most control characters, even escaped. */
			if (c >= 0x20 || c == '\n' || c == '\t')
				fputc(c, f);
			else if (c == '\r')
				fputs("&#13;", f);
		}
	}
}

static char *program_name(const struct weft_config *config)
{
	char *name = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&name, &len);
	if (!f)
		return NULL;
	for (char *const *a = config->argv; *a; a++)
		fprintf(f, "%s%s", a == config->argv ? "" : " ", *a);
	fclose(f);
	return name;
}

bool weft_report_junit(const char *path, const struct weft_config *config,
                       const struct weft_result *result, char *err, size_t errlen)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	if (!f) {
		snprintf(err, errlen, "cannot write the JUnit report to %s", path);
		return false;
	}
	char *name = program_name(config);
	char *text = render_text(config, result);
	bool failed = result->verdict != WEFT_VERDICT_OK;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites>\n  <testsuite name=\"weft\" tests=\"1\" failures=\"%d\" "
	           "errors=\"%d\" time=\"%.3f\">\n",
	        result->verdict == WEFT_VERDICT_BUG, result->verdict == WEFT_VERDICT_ERROR,
	        result->elapsed_seconds);
	fputs("    <testcase classname=\"weft\" name=\"", f);
	xml_escaped(f, name);
	fprintf(f, "\" time=\"%.3f\">\n", result->elapsed_seconds);
	if (failed) {
		const char *element = result->verdict == WEFT_VERDICT_BUG ? "failure" : "error";
		fprintf(f, "      <%s type=\"%s\" message=\"", element,
		        result->bug ? weft_bug_kind_name(result->bug->kind) : "error");
		xml_escaped(f, result->bug ? result->bug->message : result->error);
		fputs("\">", f);
		xml_escaped(f, text);
		fprintf(f, "</%s>\n", element);
	} else {
		fputs("      <system-out>", f);
		xml_escaped(f, text);
		fputs("</system-out>\n", f);
	}
	fputs("    </testcase>\n  </testsuite>\n</testsuites>\n", f);
	free(name);
	free(text);
	bool ok = !ferror(f);
	if (f != stdout)
		ok = fclose(f) == 0 && ok;
	else
		fflush(f);
	if (!ok)
		snprintf(err, errlen, "cannot write the JUnit report to %s", path);
	return ok;
}

void weft_report_tap(FILE *f, const struct weft_config *config,
                     const struct weft_result *result)
{
	char *name = program_name(config);
	fprintf(f, "TAP version 13\n1..1\n");
	if (result->verdict == WEFT_VERDICT_OK) {
		fprintf(f, "ok 1 - %s: no bug in %llu executions (%s)\n", name ? name : "",
		        (unsigned long long)result->executions,
		        result->complete        ? "complete"
		        : result->seen_complete ? "complete for the operations weft sees"
		                                : "incomplete");
	} else if (result->verdict == WEFT_VERDICT_BUG && result->bug) {
		char *cmd =
		    weft_replay_command(config, result->bug->token, result->bug->race_points);
		fprintf(f, "not ok 1 - %s: %s\n  ---\n  kind: %s\n  message: \"", name ? name : "",
		        weft_bug_kind_name(result->bug->kind), weft_bug_kind_name(result->bug->kind));
		for (const char *p = result->bug->message; *p; p++)
			fprintf(f, *p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
		fprintf(f, "\"\n  execution: %llu\n  replay: '", (unsigned long long)result->bug->execution);
		for (const char *p = cmd ? cmd : ""; *p; p++)
			fprintf(f, *p == '\'' ? "''" : "%c", *p);
		fprintf(f, "'\n  ...\n");
		free(cmd);
	} else {
		fprintf(f, "not ok 1 - %s: error\n  ---\n  message: \"", name ? name : "");
		for (const char *p = result->error; *p; p++)
			fprintf(f, *p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
		fprintf(f, "\"\n  ...\n");
	}
	fflush(f);
	free(name);
}
