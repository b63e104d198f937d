/* The demangler, found once in libstdc++ at run time (see demangle.h). */
#define _GNU_SOURCE
#include "demangle.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef char *demangle_fn(const char *mangled, char *buf, size_t *len, int *status);

static demangle_fn *demangler;
static pthread_once_t looked_up = PTHREAD_ONCE_INIT;

static void look_up(void)
{
	/* Already in the process when weft_check runs inside a C++ test. */
	void *fn = dlsym(RTLD_DEFAULT, "__cxa_demangle");
	if (!fn) {
		void *lib = dlopen("libstdc++.so.6", RTLD_LAZY | RTLD_LOCAL);
		fn = lib ? dlsym(lib, "__cxa_demangle") : NULL;
	}
	demangler = (demangle_fn *)fn;
}

/* The length of a demangled function name without its parameter list and
 * qualifiers: "ns::f<int>(int, char) const" -> "ns::f<int>". Names of
 * anything else ("guard variable for x", "vtable for T") keep everything. */
static size_t without_params(const char *s)
{
	size_t n = strlen(s);
	size_t end = n;
	while (end > 0 && s[end - 1] != ')') {
		/* only qualifiers may follow the list: const, volatile, &, && */
		char c = s[end - 1];
		if (!(c == ' ' || c == '&' || (c >= 'a' && c <= 'z')))
			return n;
		end--;
	}
	if (end == 0)
		return n;
	int depth = 0;
	for (size_t i = end; i-- > 0;) {
		if (s[i] == ')')
			depth++;
		else if (s[i] == '(' && --depth == 0)
			return i > 0 ? i : n;
	}
	return n;
}

bool weft_demangle(const char *name, bool params, char *out, size_t len)
{
	if (len == 0)
		return false;
	snprintf(out, len, "%s", name);
	if (strncmp(name, "_Z", 2) != 0)
		return false;
	pthread_once(&looked_up, look_up);
	if (!demangler)
		return false;
	int status = -1;
	char *plain = demangler(name, NULL, NULL, &status);
	if (status != 0 || !plain) {
		free(plain);
		return false;
	}
	size_t n = params ? strlen(plain) : without_params(plain);
	snprintf(out, len, "%.*s", (int)n, plain);
	free(plain);
	return true;
}
