/* Functions wrapped at run time (--yield-at), shared by the three files that
 * implement them: wrap.c finds each function and redirects the GOT slots
 * that call it, wrap_ffi.c builds the libffi closure the slots now point to
 * and gives each call its meaning to weft, wrap_blocking.c lets a thread
 * block inside a call while the others run. */
#ifndef WEFT_WRAP_H
#define WEFT_WRAP_H

#include <ffi.h>

#include "../core/yieldspec.h"
#include "runtime.h"

struct weft_wrapped {
	struct weft_wrap_spec spec;
	uint32_t func;  /* 1 + index in the exchange region's wrapped[] */
	void *original; /* the definition, from dlsym */
	void *entry;    /* the closure's code: what the GOT slots now hold */
	bool claims;    /* a call marks the process weft is meant for (not a libc function) */
	unsigned slots; /* GOT slots redirected */
	char where[WEFT_PATH_LEN]; /* the object that defines it, for messages */
	ffi_cif cif;
	ffi_type *types[WEFT_WRAP_MAX_ARGS];
	ffi_closure *closure;
};

/* Builds w's closure; false with a one-line message when libffi cannot. */
bool weft__wrap_closure_new(struct weft_wrapped *w, char *err, size_t errlen);

/* The mangled name of the exported C++ function whose demangled signature
 * is `signature` (wrap_demangle.c); false when none is. */
bool weft__wrap_find_mangled(const char *signature, char *out, size_t len);

/* The first function wrapped with this role (enum weft_wrap_role), or NULL. */
struct weft_wrapped *weft__wrap_with_role(unsigned role);

/* Learns, once, how a closure's handler finds its caller's address. */
void weft__wrap_calls_init(void);

/* The blocking role: leave scheduling before the real call, and come back
 * after it through a scheduling point of its own. */
void weft__outside_enter(struct weft_thread *me);
void weft__outside_return(struct weft_thread *me, struct weft_object *obj, uint32_t func,
                          uintptr_t pc);

/* Whether an address lies in the loaded object whose code holds `inside`;
 * lo and hi get that object's range. */
bool weft__object_range(const void *inside, uintptr_t *lo, uintptr_t *hi);

#endif
