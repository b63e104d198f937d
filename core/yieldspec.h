/* --yield-at: functions of a program that weft wraps at run time, each named
 * with its C signature and what a call means to weft. This header holds the
 * grammar, the parser (used by the weft command) and the checks that the
 * runtime repeats on what it receives through the exchange region.
 *
 *	spec    := NAME '(' params ')' '->' type [ '=' role ]
 *	params  := 'void' | '' | param { ',' param }
 *	param   := type [ NAME ]                    a parameter name is allowed
 *	type    := words [ '*' ... ]                 const/volatile ignored; any
 *	                                            'T *' (struct S *, queue_t *)
 *	                                            is a pointer
 *	role    := 'call' [ '(' N ')' ]             scheduling point before the call
 *	         | 'lock' '(' N ')'                 acquire the lock at argument N
 *	         | 'unlock' '(' N ')'               release it (after the call)
 *	         | 'yield' [ '(' N ')' ]            give way, as sched_yield does
 *	         | 'blocking' [ '(' N ')' ]         may block on something weft does
 *	                                            not see: others run meanwhile
 *	         | 'trylock' '(' N ')' [ '==' V ]   try the lock at argument N: taken
 *	                                            when the function returns V (an
 *	                                            integer), else when non-zero
 *	         | 'wait' '(' N ',' M ')'           a condition variable's wait on the
 *	                                            object at argument N, releasing the
 *	                                            lock(M) at argument M meanwhile
 *	         | 'signal' '(' N ')'               wake one waiter of that object
 *	         | 'broadcast' '(' N ')'            wake them all
 *
 * N counts parameters from 1 and must name a pointer or integer parameter;
 * without it the object of the event is the function itself. Whitespace is
 * free. Variadic functions and structs passed by value are refused: the
 * closure could not forward their arguments. */
#ifndef WEFT_YIELDSPEC_H
#define WEFT_YIELDSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol.h"

enum weft_ctype {
#define X(id, spelling, class) WEFT_CTYPE_##id,
#include "ctypes.def"
#undef X
	WEFT_CTYPE_COUNT
};

enum weft_wrap_role {
	WEFT_WRAP_CALL,
	WEFT_WRAP_LOCK,
	WEFT_WRAP_UNLOCK,
	WEFT_WRAP_YIELD,
	WEFT_WRAP_BLOCKING,
	WEFT_WRAP_TRYLOCK,
	WEFT_WRAP_WAIT,
	WEFT_WRAP_SIGNAL,
	WEFT_WRAP_BROADCAST,
	WEFT_WRAP_ROLE_COUNT
};

/* Parses one spec. On failure returns false with a one-line message in err
 * that quotes the part in question ("unknown type 'foo_t'"). */
bool weft_yieldspec_parse(const char *text, struct weft_wrap_spec *out, char *err, size_t errlen);

/* Checks a spec that crossed the exchange region: every field in range, the
 * name a C identifier, the role's argument a pointer or an integer. */
bool weft_yieldspec_check(const struct weft_wrap_spec *spec, char *err, size_t errlen);

/* The canonical text of a spec: "spin_lock(int *)->void=lock(1)" style,
 * with pointer types spelt "void *". */
void weft_yieldspec_format(const struct weft_wrap_spec *spec, char *buf, size_t len);

const char *weft_ctype_name(unsigned type);
/* 'V', 'I', 'F' or 'P'. */
char weft_ctype_class(unsigned type);
const char *weft_wrap_role_name(unsigned role);

/* The specs given on one command line, in order, with the text of each as
 * given (for the replay command). */
struct weft_yieldspec_list {
	struct weft_wrap_spec specs[WEFT_MAX_WRAPPED];
	char *texts[WEFT_MAX_WRAPPED + 1]; /* NULL-terminated */
	uint32_t n;
};

/* Adds one spec (--yield-at TEXT), or every spec of a file (--yield-file
 * PATH: one per line, '#' starts a comment). Refuses a bad spec, a second
 * spec for the same function and more than WEFT_MAX_WRAPPED, with a one-line
 * message naming the option, the file and line, and what is wrong. */
bool weft_yieldspec_add(struct weft_yieldspec_list *list, const char *text, char *err,
                        size_t errlen);
bool weft_yieldspec_add_file(struct weft_yieldspec_list *list, const char *path, char *err,
                             size_t errlen);
void weft_yieldspec_list_free(struct weft_yieldspec_list *list);

#endif
