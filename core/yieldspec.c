/* The --yield-at parser and the checks the runtime repeats: a hand-written
 * recursive descent over a small C declarator grammar (yieldspec.h). Every
 * refusal is one line that says which part is wrong and what would be
 * right. This file is compiled into the explorer and into the runtime, so
 * both sides agree on what a spec means; it uses nothing but libc. */
#define _GNU_SOURCE
#include "yieldspec.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(long) == 8 && sizeof(void *) == 8, "the typedef aliases assume LP64");

static const char *const ctype_names[] = {
#define X(id, spelling, class) spelling,
#include "ctypes.def"
#undef X
};

static const char ctype_classes[] = {
#define X(id, spelling, class) #class[0],
#include "ctypes.def"
#undef X
};

static const char *const role_names[] = {"call",    "lock", "unlock", "yield",    "blocking",
                                         "trylock", "wait", "signal", "broadcast"};
_Static_assert(sizeof role_names / sizeof role_names[0] == WEFT_WRAP_ROLE_COUNT,
               "one name per role");

/* Typedef names a signature may use, as the types they stand for on LP64. */
static const struct {
	const char *name;
	enum weft_ctype type;
} aliases[] = {
    {"_Bool", WEFT_CTYPE_BOOL},      {"bool", WEFT_CTYPE_BOOL},
    {"size_t", WEFT_CTYPE_ULONG},    {"ssize_t", WEFT_CTYPE_LONG},
    {"ptrdiff_t", WEFT_CTYPE_LONG},  {"intptr_t", WEFT_CTYPE_LONG},
    {"uintptr_t", WEFT_CTYPE_ULONG}, {"off_t", WEFT_CTYPE_LONG},
    {"time_t", WEFT_CTYPE_LONG},     {"pid_t", WEFT_CTYPE_INT},
    {"uid_t", WEFT_CTYPE_UINT},      {"gid_t", WEFT_CTYPE_UINT},
    {"mode_t", WEFT_CTYPE_UINT},     {"socklen_t", WEFT_CTYPE_UINT},
    {"useconds_t", WEFT_CTYPE_UINT}, {"clockid_t", WEFT_CTYPE_INT},
    {"wchar_t", WEFT_CTYPE_INT},     {"int8_t", WEFT_CTYPE_SCHAR},
    {"uint8_t", WEFT_CTYPE_UCHAR},   {"int16_t", WEFT_CTYPE_SHORT},
    {"uint16_t", WEFT_CTYPE_USHORT}, {"int32_t", WEFT_CTYPE_INT},
    {"uint32_t", WEFT_CTYPE_UINT},   {"int64_t", WEFT_CTYPE_LONG},
    {"uint64_t", WEFT_CTYPE_ULONG},
};

const char *weft_ctype_name(unsigned type)
{
	return type < WEFT_CTYPE_COUNT ? ctype_names[type] : "?";
}

char weft_ctype_class(unsigned type)
{
	return type < WEFT_CTYPE_COUNT ? ctype_classes[type] : '?';
}

const char *weft_wrap_role_name(unsigned role)
{
	return role < WEFT_WRAP_ROLE_COUNT ? role_names[role] : "?";
}

struct parser {
	const char *p;
	char *err;
	size_t errlen;
};

static bool fail(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ps->err, ps->errlen, fmt, ap);
	va_end(ap);
	return false;
}

static void skip_space(struct parser *ps)
{
	while (isspace((unsigned char)*ps->p))
		ps->p++;
}

static bool accept(struct parser *ps, const char *token)
{
	skip_space(ps);
	size_t n = strlen(token);
	if (strncmp(ps->p, token, n) != 0)
		return false;
	ps->p += n;
	return true;
}

/* An identifier into word (empty when there is none). */
static void identifier(struct parser *ps, char *word, size_t len)
{
	skip_space(ps);
	size_t n = 0;
	while ((isalnum((unsigned char)ps->p[n]) || ps->p[n] == '_') && n + 1 < len)
		n++;
	if (isdigit((unsigned char)ps->p[0]))
		n = 0;
	memcpy(word, ps->p, n);
	word[n] = '\0';
	ps->p += n;
}

/* The words of one type, '*' counting as a word, as written. */
#define MAX_WORDS 12
struct words {
	char w[MAX_WORDS][64];
	int n;
};

static bool is_qualifier(const char *w)
{
	return strcmp(w, "const") == 0 || strcmp(w, "volatile") == 0 ||
	       strcmp(w, "restrict") == 0 || strcmp(w, "__restrict") == 0;
}

static bool is_tag_keyword(const char *w)
{
	return strcmp(w, "struct") == 0 || strcmp(w, "union") == 0 || strcmp(w, "enum") == 0;
}

static const char *const basic_words[] = {"signed", "unsigned", "short", "long",  "int",
                                          "char",   "void",     "float", "double"};
enum { W_SIGNED, W_UNSIGNED, W_SHORT, W_LONG, W_INT, W_CHAR, W_VOID, W_FLOAT, W_DOUBLE, W_COUNT };

static int basic_word(const char *w)
{
	for (int i = 0; i < W_COUNT; i++)
		if (strcmp(w, basic_words[i]) == 0)
			return i;
	return -1;
}

static int alias_of(const char *w)
{
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcmp(w, aliases[i].name) == 0)
			return (int)aliases[i].type;
	return -1;
}

/* The scalar type named by words without '*' (qualifiers already gone). */
static int scalar(struct parser *ps, const struct words *ws, const char *spelt)
{
	int count[W_COUNT] = {0};
	if (ws->n == 2 && strcmp(ws->w[0], "enum") == 0)
		return WEFT_CTYPE_INT;
	if (ws->n >= 1 && is_tag_keyword(ws->w[0]))
		return fail(ps,
		            "'%s' is passed by value, which weft cannot forward; wrap only "
		            "functions that take it by pointer ('%s *')",
		            spelt, spelt),
		       -1;
	if (ws->n == 1 && alias_of(ws->w[0]) >= 0)
		return alias_of(ws->w[0]);
	for (int i = 0; i < ws->n; i++) {
		int b = basic_word(ws->w[i]);
		if (b < 0)
			return fail(ps,
			            "unknown type '%s' (if it is a pointer, write '%s *'; a value "
			            "must be a C scalar type or one of its usual typedefs)",
			            ws->w[i], ws->w[i]),
			       -1;
		count[b]++;
	}
	int kinds = !!count[W_CHAR] + !!count[W_VOID] + !!count[W_FLOAT] + !!count[W_DOUBLE];
	bool sized =
	    count[W_SHORT] || count[W_LONG] || count[W_SIGNED] || count[W_UNSIGNED] || count[W_INT];
	bool bad = ws->n == 0 || kinds > 1 || (count[W_SIGNED] && count[W_UNSIGNED]) ||
	           (count[W_SHORT] && count[W_LONG]) || count[W_LONG] > 2 || count[W_SHORT] > 1 ||
	           count[W_INT] > 1 || count[W_SIGNED] > 1 || count[W_UNSIGNED] > 1 ||
	           ((count[W_VOID] || count[W_FLOAT]) && sized) ||
	           (count[W_CHAR] && (count[W_SHORT] || count[W_LONG] || count[W_INT])) ||
	           (count[W_DOUBLE] && (sized && !(count[W_LONG] == 1 && ws->n == 2)));
	if (bad)
		return fail(ps, "'%s' is not a C type", spelt), -1;
	bool u = count[W_UNSIGNED] > 0;
	if (count[W_VOID])
		return WEFT_CTYPE_VOID;
	if (count[W_FLOAT])
		return WEFT_CTYPE_FLOAT;
	if (count[W_DOUBLE])
		return count[W_LONG] ? WEFT_CTYPE_LDOUBLE : WEFT_CTYPE_DOUBLE;
	if (count[W_CHAR])
		return u ? WEFT_CTYPE_UCHAR : count[W_SIGNED] ? WEFT_CTYPE_SCHAR : WEFT_CTYPE_CHAR;
	if (count[W_SHORT])
		return u ? WEFT_CTYPE_USHORT : WEFT_CTYPE_SHORT;
	if (count[W_LONG] == 1)
		return u ? WEFT_CTYPE_ULONG : WEFT_CTYPE_LONG;
	if (count[W_LONG] == 2)
		return u ? WEFT_CTYPE_ULLONG : WEFT_CTYPE_LLONG;
	return u ? WEFT_CTYPE_UINT : WEFT_CTYPE_INT;
}

/* Whether the last word of a parameter is its name rather than part of its
 * type: it names no type, and what comes before it is a whole type. */
static bool last_is_name(const struct words *ws)
{
	if (ws->n < 2)
		return false;
	const char *last = ws->w[ws->n - 1], *before = ws->w[ws->n - 2];
	if (strcmp(last, "*") == 0 || basic_word(last) >= 0 || alias_of(last) >= 0)
		return false;
	return !is_tag_keyword(before);
}

/* One type, up to ',', ')', '=', '-' or the end; a parameter name after it
 * is allowed when named. Returns the type or -1. */
static int parse_type(struct parser *ps, bool named)
{
	struct words ws = {.n = 0};
	skip_space(ps);
	const char *start = ps->p;
	for (;;) {
		skip_space(ps);
		char word[64];
		if (*ps->p == '*') {
			ps->p++;
			strcpy(word, "*");
		} else {
			identifier(ps, word, sizeof word);
			if (!word[0])
				break;
			if (is_qualifier(word))
				continue;
		}
		if (ws.n == MAX_WORDS)
			return fail(ps, "a type with more than %d words", MAX_WORDS), -1;
		strcpy(ws.w[ws.n++], word);
	}
	char spelt[128];
	int n = (int)(ps->p - start);
	while (n > 0 && isspace((unsigned char)start[n - 1]))
		n--;
	snprintf(spelt, sizeof spelt, "%.*s", n, start);
	if (ws.n == 0) {
		if (strncmp(ps->p, "...", 3) == 0)
			return fail(
			           ps,
			           "variadic functions cannot be wrapped: a libffi closure needs a "
			           "fixed list of parameters"),
			       -1;
		if (!*ps->p)
			return fail(ps, "expected a type, found the end"), -1;
		return fail(ps, "expected a type at '%.20s'", ps->p), -1;
	}
	if (named && last_is_name(&ws))
		ws.n--;
	int stars = 0;
	for (int i = 0; i < ws.n; i++) {
		if (strcmp(ws.w[i], "*") == 0)
			stars++;
		else if (stars)
			return fail(ps, "'%s' is not a C type", spelt), -1;
	}
	if (stars == ws.n)
		return fail(ps, "'%s' is not a C type", spelt), -1;
	if (stars)
		return WEFT_CTYPE_POINTER;
	return scalar(ps, &ws, spelt);
}

static bool parse_params(struct parser *ps, struct weft_wrap_spec *s)
{
	if (accept(ps, ")"))
		return true;
	const char *save = ps->p;
	if (accept(ps, "void") && accept(ps, ")"))
		return true;
	ps->p = save;
	for (;;) {
		int type = parse_type(ps, true);
		if (type < 0)
			return false;
		skip_space(ps);
		if (*ps->p == '(')
			return fail(ps, "%s: write function pointers as 'void *'", s->name);
		if (type == WEFT_CTYPE_VOID)
			return fail(
			    ps,
			    "a parameter of %s cannot be 'void' (write '(void)' for none, or "
			    "'void *')",
			    s->name);
		if (s->nargs >= WEFT_WRAP_MAX_ARGS)
			return fail(ps, "%s has more than %d parameters, more than weft wraps",
			            s->name, WEFT_WRAP_MAX_ARGS);
		s->args[s->nargs++] = (uint8_t)type;
		if (accept(ps, ")"))
			return true;
		if (!accept(ps, ","))
			return fail(ps, "expected ',' or ')' in the parameters of %s at '%.20s'",
			            s->name, ps->p);
	}
}

static bool parse_role(struct parser *ps, struct weft_wrap_spec *s)
{
	char word[32];
	identifier(ps, word, sizeof word);
	unsigned role;
	for (role = 0; role < WEFT_WRAP_ROLE_COUNT; role++)
		if (strcmp(word, role_names[role]) == 0)
			break;
	if (role == WEFT_WRAP_ROLE_COUNT)
		return fail(ps,
		            "unknown role '%s%.20s' (known: call, call(N), lock(N), unlock(N), "
		            "yield, blocking, trylock(N), trylock(N)==V, wait(N,M), signal(N), "
		            "broadcast(N))",
		            word, word[0] ? "" : ps->p);
	s->role = (uint8_t)role;
	s->role_arg = 0;
	if (accept(ps, "(")) {
		skip_space(ps);
		const char *given = ps->p, *close = strchr(ps->p, ')');
		int given_len = close ? (int)(close - given) : (int)strlen(given);
		char *end;
		long n = isdigit((unsigned char)*ps->p) ? strtol(ps->p, &end, 10) : -1;
		if (n >= 0)
			ps->p = end;
		if (n >= 1 && n <= s->nargs && s->role == WEFT_WRAP_WAIT && accept(ps, ",")) {
			skip_space(ps);
			long m = isdigit((unsigned char)*ps->p) ? strtol(ps->p, &end, 10) : -1;
			if (m >= 1 && m <= s->nargs && m != n) {
				ps->p = end;
				s->role_arg2 = (uint8_t)m;
			} else {
				n = -1;
			}
		}
		if (n < 1 || n > s->nargs || !accept(ps, ")"))
			return fail(
			    ps,
			    "bad argument index in %s(%.*s): write the number of a parameter "
			    "of %s, from 1 to %u",
			    word, given_len > 20 ? 20 : given_len, given, s->name, s->nargs);
		s->role_arg = (uint8_t)n;
	}
	if (s->role == WEFT_WRAP_TRYLOCK && accept(ps, "==")) {
		skip_space(ps);
		char *end;
		long long v = strtoll(ps->p, &end, 0);
		if (end == ps->p)
			return fail(ps,
			            "expected the return value that means \"taken\" after '==', "
			            "as in trylock(1)==0");
		ps->p = end;
		s->has_success = 1;
		s->success = v;
	}
	return true;
}

bool weft_yieldspec_parse(const char *text, struct weft_wrap_spec *out, char *err, size_t errlen)
{
	struct parser ps = {text ? text : "", err, errlen};
	memset(out, 0, sizeof *out);
	skip_space(&ps);
	if (*ps.p == '"') {
		/* A C++ function by its demangled signature, as c++filt prints it. */
		const char *end = strchr(ps.p + 1, '"');
		size_t n = end ? (size_t)(end - ps.p - 1) : 0;
		if (!end || n == 0 || n >= sizeof out->name)
			return fail(
			    &ps,
			    "a quoted C++ signature must be closed and hold 1 to %d characters",
			    WEFT_WRAP_NAME_LEN - 1);
		memcpy(out->name, ps.p + 1, n);
		out->demangled = 1;
		ps.p = end + 1;
	} else {
		identifier(&ps, out->name, sizeof out->name);
	}
	if (!out->name[0])
		return fail(&ps, "expected a function name, as in 'spin_lock(int *)->void'");
	if (isalnum((unsigned char)*ps.p) || *ps.p == '_')
		return fail(&ps, "the function name is longer than %d characters",
		            WEFT_WRAP_NAME_LEN - 1);
	if (!accept(&ps, "("))
		return fail(&ps, "expected '(' and the parameters after '%s'", out->name);
	if (!parse_params(&ps, out))
		return false;
	if (!accept(&ps, "->"))
		return fail(&ps,
		            "expected '-> TYPE' after the parameters of %s (write '->void' when "
		            "it returns nothing)",
		            out->name);
	int ret = parse_type(&ps, false);
	if (ret < 0)
		return false;
	out->ret = (uint8_t)ret;
	out->role = WEFT_WRAP_CALL;
	if (accept(&ps, "=") && !parse_role(&ps, out))
		return false;
	skip_space(&ps);
	if (*ps.p)
		return fail(&ps, "unexpected '%.20s' at the end", ps.p);
	return weft_yieldspec_check(out, err, errlen);
}

bool weft_yieldspec_check(const struct weft_wrap_spec *s, char *err, size_t errlen)
{
	struct parser ps = {"", err, errlen};
	size_t len = strnlen(s->name, sizeof s->name);
	if (s->demangled) {
		for (size_t i = 0; i < len; i++)
			if (!isprint((unsigned char)s->name[i]) || s->name[i] == '"')
				return fail(&ps,
				            "a C++ signature must be printable, without quotes");
		if (len == 0 || len == sizeof s->name)
			return fail(&ps, "a C++ signature must hold 1 to %d characters",
			            WEFT_WRAP_NAME_LEN - 1);
	} else if (len == 0 || len == sizeof s->name || isdigit((unsigned char)s->name[0])) {
		return fail(&ps, "a function name must be a C identifier of 1 to %d characters",
		            WEFT_WRAP_NAME_LEN - 1);
	}
	for (size_t i = 0; !s->demangled && i < len; i++)
		if (!isalnum((unsigned char)s->name[i]) && s->name[i] != '_')
			return fail(&ps, "a function name must be a C identifier");
	if (s->ret >= WEFT_CTYPE_COUNT || s->nargs > WEFT_WRAP_MAX_ARGS ||
	    s->role >= WEFT_WRAP_ROLE_COUNT)
		return fail(&ps,
		            "%s: malformed spec (a type, the parameter count or the role is out of "
		            "range)",
		            s->name);
	for (unsigned i = 0; i < s->nargs; i++)
		if (s->args[i] >= WEFT_CTYPE_COUNT || s->args[i] == WEFT_CTYPE_VOID)
			return fail(&ps, "%s: parameter %u has no valid type", s->name, i + 1);
	bool needs_arg = s->role == WEFT_WRAP_LOCK || s->role == WEFT_WRAP_UNLOCK ||
	                 s->role == WEFT_WRAP_TRYLOCK || s->role == WEFT_WRAP_WAIT ||
	                 s->role == WEFT_WRAP_SIGNAL || s->role == WEFT_WRAP_BROADCAST;
	if (needs_arg && s->role_arg == 0)
		return fail(&ps,
		            "%s: the role %s needs the parameter that holds the lock, as in "
		            "%s(1)",
		            s->name, role_names[s->role], role_names[s->role]);
	if (s->role_arg > s->nargs)
		return fail(&ps, "bad argument index %u in %s(%u): %s has %u parameter%s",
		            s->role_arg, role_names[s->role], s->role_arg, s->name, s->nargs,
		            s->nargs == 1 ? "" : "s");
	if (s->role_arg) {
		char class = weft_ctype_class(s->args[s->role_arg - 1]);
		if (class != 'P' && class != 'I')
			return fail(
			    &ps,
			    "bad argument index in %s(%u): parameter %u of %s is '%s', not a "
			    "pointer or an integer that could name an object",
			    role_names[s->role], s->role_arg, s->role_arg, s->name,
			    weft_ctype_name(s->args[s->role_arg - 1]));
	}
	if (s->role == WEFT_WRAP_WAIT) {
		if (s->role_arg2 == 0 || s->role_arg2 > s->nargs || s->role_arg2 == s->role_arg)
			return fail(&ps,
			            "%s: the role wait needs the parameter waited on and the one "
			            "holding the lock it releases, as in wait(1,2)",
			            s->name);
		char class = weft_ctype_class(s->args[s->role_arg2 - 1]);
		if (class != 'P' && class != 'I')
			return fail(&ps,
			            "%s: parameter %u, the lock of wait(%u,%u), is '%s', not a "
			            "pointer or an integer",
			            s->name, s->role_arg2, s->role_arg, s->role_arg2,
			            weft_ctype_name(s->args[s->role_arg2 - 1]));
	} else if (s->role_arg2) {
		return fail(&ps, "%s: malformed spec (a second parameter for the role %s)", s->name,
		            role_names[s->role]);
	}
	if (s->role == WEFT_WRAP_TRYLOCK && weft_ctype_class(s->ret) != 'I' &&
	    weft_ctype_class(s->ret) != 'P')
		return fail(&ps,
		            "%s: the role trylock needs a function that returns whether it took "
		            "the lock (an integer or a pointer), not '%s'",
		            s->name, weft_ctype_name(s->ret));
	if (s->has_success && s->role != WEFT_WRAP_TRYLOCK)
		return fail(&ps, "%s: malformed spec (a success value for the role %s)", s->name,
		            role_names[s->role]);
	return true;
}

void weft_yieldspec_format(const struct weft_wrap_spec *s, char *buf, size_t len)
{
	size_t used = (size_t)snprintf(buf, len, s->demangled ? "\"%s\"(" : "%s(", s->name);
	for (unsigned i = 0; i < s->nargs && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
		                         weft_ctype_name(s->args[i]));
	if (used < len)
		used += (size_t)snprintf(buf + used, len - used, "%s)->%s", s->nargs ? "" : "void",
		                         weft_ctype_name(s->ret));
	if (used < len && (s->role != WEFT_WRAP_CALL || s->role_arg)) {
		used +=
		    (size_t)snprintf(buf + used, len - used, "=%s", weft_wrap_role_name(s->role));
		if (s->role_arg2 && used < len)
			used += (size_t)snprintf(buf + used, len - used, "(%u,%u)", s->role_arg,
			                         s->role_arg2);
		else if (s->role_arg && used < len)
			used += (size_t)snprintf(buf + used, len - used, "(%u)", s->role_arg);
		if (s->has_success && used < len)
			snprintf(buf + used, len - used, "==%lld", (long long)s->success);
	}
}
