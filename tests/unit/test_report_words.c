/* Unit test of the words of reports that no program reaches on demand: the
 * hang headline when /proc could not say which call a thread is stuck in
 * (it must not say twice that weft does not control it), the label of a
 * thread still waiting in a condition or barrier wait (not "wake-up"), and
 * the demangler's names with and without their parameter lists.
 * Expected: the last line is "test_report_words: N checks, 0 failed". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "demangle.h"
#include "describe.h"

static unsigned checks, failures;

static void expect_text(const char *what, const char *got, const char *want)
{
	checks++;
	if (strcmp(got, want) != 0) {
		failures++;
		fprintf(stderr, "%s:\n  got  '%s'\n  want '%s'\n", what, got, want);
	}
}

static unsigned count(const char *text, const char *word)
{
	unsigned n = 0;
	for (const char *p = strstr(text, word); p; p = strstr(p + 1, word))
		n++;
	return n;
}

static void hang_headline(struct weft_shm *shm)
{
	char *argv[] = {"prog", NULL};
	struct weft_config config;
	weft_config_defaults(&config);
	config.argv = argv;
	shm->loaded = 1;
	shm->claimed_pid = 42;
	shm->current = 1;
	struct weft_run_outcome out = {.hang = true};
	struct weft_verdict_info v;
	snprintf(out.hang_call, sizeof out.hang_call, "a call weft does not control");
	weft_classify(&config, shm, &out, &v);
	expect_text(
	    "hang, unknown call", v.message,
	    "T1 made no step for 10 s (--hang-timeout): it is stuck in a call weft does not "
	    "control; the thread that would release it never gets to run");
	checks++;
	failures += count(v.message, "does not control") != 1;
	snprintf(out.hang_call, sizeof out.hang_call,
	         "a loop that makes no call weft sees (spinning on memory?)");
	weft_classify(&config, shm, &out, &v);
	expect_text(
	    "hang, spinning", v.message,
	    "T1 made no step for 10 s (--hang-timeout): it is stuck in a loop that makes no "
	    "call weft sees (spinning on memory?); the thread that would release it never "
	    "gets to run");
	snprintf(out.hang_call, sizeof out.hang_call, "the system call read()");
	weft_classify(&config, shm, &out, &v);
	expect_text("hang, read()", v.message,
	            "T1 made no step for 10 s (--hang-timeout): it is stuck in the system call "
	            "read(), which weft does not control; the thread that would release it never "
	            "gets to run");
}

static void waiting_labels(struct weft_shm *shm)
{
	char buf[256];
	shm->nthreads = 2;
	shm->nobjects = 3;
	shm->objects[2].kind = WEFT_OBJECT_COND;
	struct weft_thread_state *t = &shm->threads[1];
	t->op = WEFT_OP_COND_WAKE;
	t->object = 2;
	t->status = WEFT_THREAD_BLOCKED;
	weft_describe_pending(shm, NULL, 1, buf, sizeof buf);
	expect_text("blocked in a condition wait", buf, "pthread_cond_wait(cond#2) (waiting)");
	t->status = WEFT_THREAD_LIVE;
	weft_describe_pending(shm, NULL, 1, buf, sizeof buf);
	expect_text("about to wake up", buf, "pthread_cond_wait(cond#2) (wake-up)");
	shm->objects[2].kind = WEFT_OBJECT_BARRIER;
	t->op = WEFT_OP_BARRIER_WAKE;
	t->status = WEFT_THREAD_BLOCKED;
	weft_describe_pending(shm, NULL, 1, buf, sizeof buf);
	expect_text("blocked at a barrier", buf,
	            "pthread_barrier_wait(barrier#2) (waiting for the others)");
}

static void demangled(void)
{
	char buf[256];
	weft_demangle("_ZN5Queue4pushEi", false, buf, sizeof buf);
	expect_text("member function", buf, "Queue::push");
	weft_demangle("_ZN5Queue4pushEi", true, buf, sizeof buf);
	expect_text("member function with parameters", buf, "Queue::push(int)");
	weft_demangle("_ZGVZ4mainE5local", true, buf, sizeof buf);
	expect_text("guard variable", buf, "guard variable for main::local");
	weft_demangle("_ZZ4mainENKUlvE_clEv", false, buf, sizeof buf);
	expect_text("lambda", buf, "main::{lambda()#1}::operator()");
	weft_demangle("worker", false, buf, sizeof buf);
	expect_text("a C name", buf, "worker");
}

int main(void)
{
	struct weft_shm *shm = calloc(1, sizeof *shm);
	if (!shm)
		return 2;
	hang_headline(shm);
	memset(shm, 0, sizeof *shm);
	waiting_labels(shm);
	free(shm);
	demangled();
	printf("test_report_words: %u checks, %u failed\n", checks, failures);
	return failures != 0;
}
