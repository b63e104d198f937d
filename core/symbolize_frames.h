/* The symbolizer's insides shared by its files (symbolize.c and
 * symbolize_frames.c); reports use symbolize.h. */
#ifndef WEFT_SYMBOLIZE_FRAMES_H
#define WEFT_SYMBOLIZE_FRAMES_H

#include <elfutils/libdwfl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "symbolize.h"

void weft__die_function_name(Dwarf_Die *die, char *out, size_t len);
void weft__symbol_name(const char *symbol, char *out, size_t len);
const char *weft__symbol_at(Dwfl_Module *mod, Dwarf_Addr addr, GElf_Off *offset, GElf_Sym *sym);
Dwarf_Die *weft__unit_of(Dwfl_Module *mod, Dwarf_Addr at, Dwarf_Addr *bias);

/* The frames at return address pc as text, one line each, innermost first:
 * "own<TAB>line<TAB>source path<TAB>where", own being 1 for the program's
 * own code, 2 for weft's runtime (one frame, whatever it holds), else 0. */
bool weft__describe_frames(Dwfl *dwfl, uint64_t pc, char *out, size_t len);
/* The same through the symbolizer's cache. */
bool weft__symbolize_frames_text(struct weft_symbolizer *s, uint64_t pc, char *buf, size_t len);

#endif
