/* Resolution of the real functions listed in interceptors.def: dlsym with
 * RTLD_NEXT, or dlvsym where glibc versions the symbol (the condition
 * variable functions exist as @GLIBC_2.3.2 and the old @GLIBC_2.2.5; the
 * runtime's unversioned definitions catch callers of both). */
#define _GNU_SOURCE
#include "real.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct weft_real_table weft__real;
static int resolved;

static void *resolve(const char *name, const char *version)
{
	void *p = NULL;
	if (version)
		p = dlvsym(RTLD_NEXT, name, version);
	if (!p)
		p = dlsym(RTLD_NEXT, name);
	return p;
}

void weft__real_init(void)
{
	if (__atomic_load_n(&resolved, __ATOMIC_ACQUIRE))
		return;
	/* Resolve into a local table first: a hook running during dlsym's own
	 * work must still see a complete table or none. */
	struct weft_real_table t;
#define X(ret, name, params, version) t.name = (ret(*) params)resolve(#name, version);
#include "interceptors.def"
#undef X
#define X(ret, name, params, args) t.name = (ret(*) params)resolve(#name, NULL);
#include "unsupported.def"
#undef X
	if (!t.pthread_mutex_lock || !t.pthread_create || !t.__libc_start_main) {
		static const char msg[] = "weft: cannot resolve the real pthread functions; "
		                          "is this a glibc system?\n";
		(void)!write(2, msg, sizeof msg - 1);
		abort();
	}
	weft__real = t;
	__atomic_store_n(&resolved, 1, __ATOMIC_RELEASE);
}
