/* C++ names in reports. weft is C and does not link libstdc++; the
 * demangler comes from libstdc++'s abi::__cxa_demangle, looked up at run
 * time in the libstdc++ that any C++ program needs anyway. Without it (a
 * machine with no C++ runtime has no C++ programs to report on) names stay
 * as the object files spell them. */
#ifndef WEFT_DEMANGLE_H
#define WEFT_DEMANGLE_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the demangled form of a mangled C++ name ("_ZN5Queue4pushEi" ->
 * "Queue::push(int)"; "_ZGVZ4mainE5local" -> "guard variable for
 * main::local"), without its parameter list when `params` is false
 * ("Queue::push"). Returns false, and copies the name, for a name that is
 * not mangled or when no demangler is available. */
bool weft_demangle(const char *name, bool params, char *out, size_t len);

#endif
