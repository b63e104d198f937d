/* Unit test of the --yield-at parser (core/yieldspec.c, core/yieldspec_list.c): the spellings
 * it accepts and the canonical form they come to, each refusal with a keyword of its message,
 * and the list's own refusals (a function given twice).
 *
 * Build and run from the project root:
 *	cc -std=c11 -Wall -Wextra -Icore core/yieldspec.c core/yieldspec_list.c \
 *	   tests/unit/test_yieldspec.c && ./a.out
 * Expected: the last line is "test_yieldspec: N checks, 0 failed" and the exit status is 0. */
#include "yieldspec.h"

#include <stdio.h>
#include <string.h>

static unsigned long checks, failures;

/* text must parse, and print canonically as expected. */
static void accepts(int line, const char *text, const char *expected)
{
	struct weft_wrap_spec s;
	char err[512], canon[256];
	checks++;
	if (!weft_yieldspec_parse(text, &s, err, sizeof err)) {
		failures++;
		fprintf(stderr, "%s:%d: '%s' refused: %s\n", __FILE__, line, text, err);
		return;
	}
	weft_yieldspec_format(&s, canon, sizeof canon);
	if (strcmp(canon, expected) != 0) {
		failures++;
		fprintf(stderr, "%s:%d: '%s' reads as '%s', expected '%s'\n", __FILE__, line, text,
		        canon, expected);
	}
}

/* text must be refused with a message that holds keyword and no newline. */
static void refuses(int line, const char *text, const char *keyword)
{
	struct weft_wrap_spec s;
	char err[512] = "";
	checks++;
	if (weft_yieldspec_parse(text, &s, err, sizeof err)) {
		failures++;
		fprintf(stderr, "%s:%d: '%s' accepted, expected a refusal about '%s'\n", __FILE__,
		        line, text, keyword);
	} else if (!strstr(err, keyword) || strchr(err, '\n')) {
		failures++;
		fprintf(stderr, "%s:%d: '%s' refused with '%s', expected '%s' in one line\n",
		        __FILE__, line, text, err, keyword);
	}
}

#define ACCEPTS(text, expected) accepts(__LINE__, text, expected)
#define REFUSES(text, keyword) refuses(__LINE__, text, keyword)

int main(void)
{
	ACCEPTS("spin_lock(int*)->void=lock(1)", "spin_lock(void *)->void=lock(1)");
	ACCEPTS(" spin_unlock ( int * l ) -> void = unlock ( 1 ) ",
	        "spin_unlock(void *)->void=unlock(1)");
	ACCEPTS("queue_push(void*,long)->int", "queue_push(void *, long)->int");
	ACCEPTS("queue_push(struct queue *q, const char *s)->int=call(1)",
	        "queue_push(void *, void *)->int=call(1)");
	ACCEPTS("f(void)->void", "f(void)->void");
	ACCEPTS("f()->void=yield", "f(void)->void=yield");
	ACCEPTS("rd(int fd, void *buf, size_t n)->ssize_t=blocking",
	        "rd(int, void *, unsigned long)->long=blocking");
	ACCEPTS(
	    "g(unsigned, unsigned char, signed char, short int, unsigned long long)->long double",
	    "g(unsigned int, unsigned char, signed char, short, unsigned long long)->long double");
	ACCEPTS("h(char c, double d, float f, uint8_t b, int64_t x, bool ok)->char",
	        "h(char, double, float, unsigned char, long, bool)->char");
	ACCEPTS("e(enum color c, queue_t **q)->enum color", "e(int, void *)->int");
	ACCEPTS("k(long n)->void=lock(1)", "k(long)->void=lock(1)");
	ACCEPTS("try_it(int *l)->int=trylock(1)", "try_it(void *)->int=trylock(1)");
	ACCEPTS("try_it(int *l)->int = trylock(1) == 0", "try_it(void *)->int=trylock(1)==0");
	ACCEPTS("try_it(void *o, int *l)->bool=trylock(2)==1",
	        "try_it(void *, void *)->bool=trylock(2)==1");
	/* A C++ member function by its mangled name, longer than a C name gets. */
	ACCEPTS("_ZN7storage6detail14SpinLockWithBackoffAndStatistics16try_lock_for_nowEPNS0_"
	        "5StateE(void *self, void *state)->bool=trylock(1)",
	        "_ZN7storage6detail14SpinLockWithBackoffAndStatistics16try_lock_for_nowEPNS0_"
	        "5StateE(void *, void *)->bool=trylock(1)");

	REFUSES("spin_lock(queue_t)->void", "unknown type 'queue_t'");
	REFUSES("spin_lock(queue_t q)->void", "unknown type 'queue_t'");
	REFUSES("f(int*)->void=lock(2)", "bad argument index");
	REFUSES("f(int*)->void=lock(0)", "bad argument index");
	REFUSES("f(int*)->void=lock(x)", "bad argument index");
	REFUSES("f(double)->void=lock(1)", "not a pointer or an integer");
	REFUSES("f(int*)->void=lock", "needs the parameter");
	REFUSES("f(int*)->void=grab(1)", "unknown role 'grab'");
	ACCEPTS("cw(struct cv *c, int *l)->int=wait(1, 2)", "cw(void *, void *)->int=wait(1,2)");
	ACCEPTS("cs(struct cv *c)->void=signal(1)", "cs(void *)->void=signal(1)");
	ACCEPTS("cb(struct cv *c)->void=broadcast(1)", "cb(void *)->void=broadcast(1)");
	REFUSES("cw(void *c, int *l)->int=wait(1)", "needs the parameter waited on");
	REFUSES("cw(void *c, int *l)->int=wait(1,1)", "bad argument index");
	REFUSES("cw(void *c, double l)->int=wait(1,2)", "not a pointer or an integer");
	REFUSES("cs(void *c)->void=signal", "needs the parameter");
	ACCEPTS("\"spin::Lock::lock()\"(void *self)->void=lock(1)",
	        "\"spin::Lock::lock()\"(void *)->void=lock(1)");
	ACCEPTS(" \"ns::f(int *, char const*)\" (int *p, const char *s) -> int",
	        "\"ns::f(int *, char const*)\"(void *, void *)->int");
	REFUSES("\"spin::Lock::lock()(void *self)->void", "must be closed");
	REFUSES("\"\"(void *self)->void", "must be closed");
	REFUSES("f(int*)->void=trylock(1)", "needs a function that returns");
	REFUSES("f(int*)->int=trylock", "needs the parameter");
	REFUSES("f(int*)->int=trylock(1)==x", "after '=='");
	REFUSES("f(int*)->int=lock(1)==0", "unexpected '==0'");
	REFUSES("f(int*)", "expected '-> TYPE'");
	REFUSES("f(const char *fmt, ...)->int", "variadic");
	REFUSES("f(struct s)->void", "passed by value");
	REFUSES("f(void, int)->void", "cannot be 'void'");
	REFUSES("f(long short)->void", "is not a C type");
	REFUSES("f(int)->void junk", "unknown type 'junk'");
	REFUSES("f(int)->void=yield junk", "unexpected");
	REFUSES("(int)->void", "expected a function name");
	REFUSES("f(int", "expected ',' or ')'");
	REFUSES("f(void (*cb)(void))->void", "function pointers");

	struct weft_yieldspec_list list;
	memset(&list, 0, sizeof list);
	char err[512];
	checks++;
	if (!weft_yieldspec_add(&list, "spin_lock(int*)->void=lock(1)", err, sizeof err) ||
	    list.n != 1 || strcmp(list.texts[0], "spin_lock(int*)->void=lock(1)") != 0) {
		failures++;
		fprintf(stderr, "%s:%d: first spec not added\n", __FILE__, __LINE__);
	}
	checks++;
	if (weft_yieldspec_add(&list, "spin_lock(int*)->void", err, sizeof err) ||
	    !strstr(err, "already wrapped")) {
		failures++;
		fprintf(stderr, "%s:%d: a second spec for spin_lock was not refused (%s)\n",
		        __FILE__, __LINE__, err);
	}
	weft_yieldspec_list_free(&list);

	printf("test_yieldspec: %lu checks, %lu failed\n", checks, failures);
	return failures != 0;
}
