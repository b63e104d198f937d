/* Interceptors for the blocking calls listed in unsupported.def: weft does
 * not model them yet, and letting one block while weft serialises the
 * threads would hang, so the execution stops and the explorer names the
 * call. Threads weft does not control pass straight through. */
#define _GNU_SOURCE
#include "runtime.h"

#define X(ret, name, params, args)                        \
	ret name params                                       \
	{                                                     \
		if (weft__controlled() && !weft__rt.exiting)      \
			weft__unsupported(#name);                     \
		return weft__real.name args;                      \
	}
#include "unsupported.def"
#undef X
