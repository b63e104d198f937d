/* The symbolizer: one offline libdwfl session holding every module of the
 * target at its load bias, and an open-addressing table that remembers each
 * answer, found or not, so a report can ask about the same call site on
 * every event. It only formats names; which addresses to show is up to the
 * report. */
#define _GNU_SOURCE
#include "symbolize.h"

#include <dwarf.h>
#include "demangle.h"
#include "symbolize_frames.h"
#include <elfutils/libdwfl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_INITIAL_SLOTS 256 /* a power of two; doubles when 3/4 full */
#define ANSWER_LEN 512          /* longest answer kept; longer names are cut */

/* What an answer says about its address. */
enum question { ASK_CODE, ASK_DATA, ASK_FRAMES };

struct answer {
	uint64_t addr;
	bool used;
	uint8_t data; /* enum question */
	char *text; /* NULL when the address is unknown */
};

struct weft_symbolizer {
	Dwfl *dwfl;
	struct answer *slots;
	uint32_t nslots, nused;
};

/* NULL picks libdwfl's default search path for separate debug files. */
static char *debuginfo_path;

static const Dwfl_Callbacks offline_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &debuginfo_path,
};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

struct weft_symbolizer *weft_symbolizer_new(const struct weft_module *modules, uint32_t n)
{
	struct weft_symbolizer *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->nslots = CACHE_INITIAL_SLOTS;
	s->slots = calloc(s->nslots, sizeof *s->slots);
	/* dwfl_standard_find_debuginfo asks debuginfod servers when this is
	 * set, which can stall a report for minutes on a closed network; a
	 * report uses the debug information that is on the machine. */
	unsetenv("DEBUGINFOD_URLS");
	s->dwfl = dwfl_begin(&offline_callbacks);
	if (!s->slots || !s->dwfl) {
		weft_symbolizer_free(s);
		return NULL;
	}
	dwfl_report_begin(s->dwfl);
	for (uint32_t i = 0; i < n; i++) {
		char path[WEFT_PATH_LEN + 1];
		memcpy(path, modules[i].path, WEFT_PATH_LEN);
		path[WEFT_PATH_LEN] = '\0';
		/* The vDSO has no file behind it; its dl_iterate_phdr name is
		 * "linux-vdso.so.1" (or "linux-gate.so.1" on 32-bit x86). */
		if (!path[0] || strncmp(path, "linux-vdso", 10) == 0 ||
		    strncmp(path, "linux-gate", 10) == 0)
			continue;
		/* bias is dlpi_addr, the difference between run-time and
		 * link-time addresses, which is what add_p_vaddr = true takes.
		 * With false, libdwfl would take it for the address of the first
		 * PT_LOAD segment, which is wrong for objects linked above 0. */
		dwfl_report_elf(s->dwfl, path, path, -1, modules[i].bias, true);
	}
	dwfl_report_end(s->dwfl, NULL, NULL);
	return s;
}

void weft_symbolizer_free(struct weft_symbolizer *s)
{
	if (!s)
		return;
	if (s->slots)
		for (uint32_t i = 0; i < s->nslots; i++)
			free(s->slots[i].text);
	free(s->slots);
	if (s->dwfl)
		dwfl_end(s->dwfl);
	free(s);
}

/* Symbol types that name no address of this module. */
static bool names_an_address(const GElf_Sym *sym)
{
	int type = GELF_ST_TYPE(sym->st_info);
	return type != STT_TLS && type != STT_SECTION && type != STT_FILE;
}

/* The symbol covering or preceding the address, as libdwfl picks it. */
const char *weft__symbol_at(Dwfl_Module *mod, Dwarf_Addr addr, GElf_Off *offset, GElf_Sym *sym)
{
	const char *name = dwfl_module_addrinfo(mod, addr, offset, sym, NULL, NULL, NULL);
	return name && names_an_address(sym) ? name : NULL;
}

/* The compile unit holding the address. libdwfl looks it up only in
 * .debug_aranges (so in elfutils 0.188, Debian 12's), which clang does not
 * emit unless given -gdwarf-aranges; when that finds nothing, ask every unit
 * of the module whether its ranges hold the address. */
Dwarf_Die *weft__unit_of(Dwfl_Module *mod, Dwarf_Addr at, Dwarf_Addr *bias)
{
	Dwarf_Die *cu = dwfl_module_addrdie(mod, at, bias);
	if (cu)
		return cu;
	while ((cu = dwfl_module_nextcu(mod, cu, bias)) != NULL)
		if (dwarf_haspc(cu, at - *bias) > 0)
			return cu;
	return NULL;
}

/* A function's name as a reader knows it: C++ names demangled from the
 * linkage name ("Queue<int>::push"), followed through inlined instances
 * and declarations; C names as written. */
void weft__die_function_name(Dwarf_Die *die, char *out, size_t len)
{
	Dwarf_Attribute attr;
	const char *linkage =
	    dwarf_formstring(dwarf_attr_integrate(die, DW_AT_linkage_name, &attr));
	if (!linkage)
		linkage =
		    dwarf_formstring(dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr));
	if (linkage && weft_demangle(linkage, false, out, len))
		return;
	const char *name = dwarf_diename(die);
	snprintf(out, len, "%s", name ? name : "");
}

/* The innermost function containing the address, an inlined one included,
 * so the name matches the line the line table gives. */
static bool innermost_function(Dwarf_Die *cu, Dwarf_Addr at, char *out, size_t len)
{
	Dwarf_Die *scopes = NULL;
	int n = dwarf_getscopes(cu, at, &scopes);
	out[0] = '\0';
	for (int i = 0; i < n && !out[0]; i++) {
		int tag = dwarf_tag(&scopes[i]);
		if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine)
			weft__die_function_name(&scopes[i], out, len);
	}
	if (n > 0)
		free(scopes);
	return out[0] != '\0';
}

/* Length of a symbol name without the "@GLIBC_2.2.5" or "@@VERS" that the
 * linker puts on versioned names in an executable's .symtab. */
static int unversioned_length(const char *symbol)
{
	return (int)strcspn(symbol, "@");
}

/* A symbol's name for a reader: unversioned, demangled, and for a function
 * without its parameter list. */
void weft__symbol_name(const char *symbol, char *out, size_t len)
{
	char plain[ANSWER_LEN];
	snprintf(plain, sizeof plain, "%.*s", unversioned_length(symbol), symbol);
	weft_demangle(plain, false, out, len);
}

static bool describe_code(Dwfl *dwfl, uint64_t pc, char *out, size_t len)
{
	/* A return address points after the call, possibly at the next line
	 * or past the end of a noreturn function's body. */
	Dwarf_Addr at = pc - 1;
	Dwfl_Module *mod = dwfl_addrmodule(dwfl, at);
	if (!mod)
		return false;
	/* The symbol table is searched only when DWARF does not name the
	 * function: libdwfl scans it linearly, which in libc costs more than
	 * all the rest of a lookup. */
	GElf_Off offset;
	GElf_Sym sym;
	Dwarf_Addr bias = 0;
	Dwarf_Die *cu = weft__unit_of(mod, at, &bias);
	Dwarf_Line *line = cu ? dwarf_getsrc_die(cu, at - bias) : NULL;
	const char *file = line ? dwarf_linesrc(line, NULL, NULL) : NULL;
	int lineno = 0;
	/* Line 0 is DWARF's "no source line" (code the compiler made up). */
	char function[ANSWER_LEN / 2];
	if (file && dwarf_lineno(line, &lineno) == 0 && lineno > 0) {
		if (!innermost_function(cu, at - bias, function, sizeof function)) {
			const char *symbol = weft__symbol_at(mod, at, &offset, &sym);
			if (symbol)
				weft__symbol_name(symbol, function, sizeof function);
		}
		if (function[0])
			snprintf(out, len, "%s:%d (%s)", base_name(file), lineno, function);
		else
			snprintf(out, len, "%s:%d", base_name(file), lineno);
		return true;
	}
	Dwarf_Addr start = 0;
	const char *module = dwfl_module_info(mod, NULL, &start, NULL, NULL, NULL, NULL, NULL);
	const char *symbol = weft__symbol_at(mod, at, &offset, &sym);
	if (!symbol) {
		/* A stripped library: where in which file, for addr2line. */
		snprintf(out, len, "%s+0x%llx", base_name(module ? module : "?"),
		         (unsigned long long)(pc - start));
		return true;
	}
	weft__symbol_name(symbol, function, sizeof function);
	snprintf(out, len, "%s+0x%llx (%s)", function, (unsigned long long)offset + 1,
	         base_name(module ? module : "?"));
	return true;
}

static bool describe_data(Dwfl *dwfl, uint64_t addr, char *out, size_t len)
{
	Dwfl_Module *mod = dwfl_addrmodule(dwfl, addr);
	if (!mod)
		return false;
	GElf_Off offset;
	GElf_Sym sym;
	const char *symbol = weft__symbol_at(mod, addr, &offset, &sym);
	/* libdwfl falls back to the nearest symbol below the address; only a
	 * symbol whose extent covers it names the object. */
	if (!symbol || offset >= sym.st_size)
		return false;
	char plain[ANSWER_LEN / 2], name[ANSWER_LEN / 2];
	snprintf(plain, sizeof plain, "%.*s", unversioned_length(symbol), symbol);
	weft_demangle(plain, true, name, sizeof name);
	if (offset == 0)
		snprintf(out, len, "%s", name);
	else
		snprintf(out, len, "%s+%llu", name, (unsigned long long)offset);
	return true;
}

static uint32_t slot_of(uint64_t addr, uint8_t data, uint32_t nslots)
{
	uint64_t x = addr ^ (data * 0x9e3779b97f4a7c15ull);
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return (uint32_t)x & (nslots - 1);
}

static struct answer *find_slot(struct answer *slots, uint32_t nslots, uint64_t addr, uint8_t data)
{
	uint32_t i = slot_of(addr, data, nslots);
	while (slots[i].used && (slots[i].addr != addr || slots[i].data != data))
		i = (i + 1) & (nslots - 1);
	return &slots[i];
}

static bool grow(struct weft_symbolizer *s)
{
	if (s->nslots >= (1u << 30))
		return false;
	uint32_t nslots = s->nslots * 2;
	struct answer *slots = calloc(nslots, sizeof *slots);
	if (!slots)
		return false;
	for (uint32_t i = 0; i < s->nslots; i++)
		if (s->slots[i].used)
			*find_slot(slots, nslots, s->slots[i].addr, s->slots[i].data) = s->slots[i];
	free(s->slots);
	s->slots = slots;
	s->nslots = nslots;
	return true;
}

static bool symbolize(struct weft_symbolizer *s, uint64_t addr, enum question data, char *buf,
                      size_t len)
{
	if (len > 0)
		buf[0] = '\0';
	if (!s || addr == 0)
		return false;
	struct answer *a = find_slot(s->slots, s->nslots, addr, data);
	if (!a->used) {
		char text[ANSWER_LEN * 4];
		bool known = data == ASK_DATA ? describe_data(s->dwfl, addr, text, sizeof text)
		             : data == ASK_CODE
		                 ? describe_code(s->dwfl, addr, text, sizeof text)
		                 : weft__describe_frames(s->dwfl, addr, text, sizeof text);
		char *copy = known ? strdup(text) : NULL;
		/* Out of memory, answer without remembering: the table must keep
		 * a free slot for find_slot to stop at. */
		if ((known && !copy) ||
		    ((uint64_t)(s->nused + 1) * 4 > (uint64_t)s->nslots * 3 && !grow(s))) {
			free(copy);
			if (known)
				snprintf(buf, len, "%s", text);
			return known;
		}
		a = find_slot(s->slots, s->nslots, addr, data);
		*a = (struct answer){.addr = addr, .used = true, .data = data, .text = copy};
		s->nused++;
	}
	if (!a->text)
		return false;
	snprintf(buf, len, "%s", a->text);
	return true;
}

bool weft_symbolize_code(struct weft_symbolizer *s, uint64_t pc, char *buf, size_t len)
{
	return symbolize(s, pc, ASK_CODE, buf, len);
}

bool weft__symbolize_frames_text(struct weft_symbolizer *s, uint64_t pc, char *buf, size_t len)
{
	return symbolize(s, pc, ASK_FRAMES, buf, len);
}

bool weft_symbolize_data(struct weft_symbolizer *s, uint64_t addr, char *buf, size_t len)
{
	return symbolize(s, addr, ASK_DATA, buf, len);
}

/* The call site of an inlined instance, "file:line", into buf. */
static bool call_site(Dwarf_Die *inlined, Dwarf_Files *files, char *buf, size_t len)
{
	Dwarf_Attribute attr;
	Dwarf_Word file = 0, line = 0;
	if (!files || dwarf_formudata(dwarf_attr(inlined, DW_AT_call_file, &attr), &file) != 0 ||
	    dwarf_formudata(dwarf_attr(inlined, DW_AT_call_line, &attr), &line) != 0 || line == 0)
		return false;
	const char *name = dwarf_filesrc(files, file, NULL, NULL);
	if (!name)
		return false;
	snprintf(buf, len, "%s:%llu", base_name(name), (unsigned long long)line);
	return true;
}

bool weft_symbolize_code_inlined(struct weft_symbolizer *s, uint64_t pc, char *buf, size_t len)
{
	if (!weft_symbolize_code(s, pc, buf, len))
		return false;
	Dwarf_Addr at = pc - 1, bias = 0;
	Dwfl_Module *mod = dwfl_addrmodule(s->dwfl, at);
	Dwarf_Die *cu = mod ? weft__unit_of(mod, at, &bias) : NULL;
	Dwarf_Die *found = NULL, *scopes = NULL;
	int nfound = cu ? dwarf_getscopes(cu, at - bias, &found) : 0, n = 0;
	/* dwarf_getscopes follows an inlined instance into its abstract
	 * definition; the concrete scopes around the innermost instance (the
	 * functions it was inlined into) come from dwarf_getscopes_die. */
	for (int i = 0; i < nfound && n <= 0; i++)
		if (dwarf_tag(&found[i]) == DW_TAG_inlined_subroutine)
			n = dwarf_getscopes_die(&found[i], &scopes);
	if (nfound > 0)
		free(found);
	Dwarf_Files *files = NULL;
	size_t nfiles;
	if (n > 0 && dwarf_getsrcfiles(cu, &files, &nfiles) != 0)
		files = NULL;
	for (int i = 0; i < n; i++) {
		char site[200];
		if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine ||
		    !call_site(&scopes[i], files, site, sizeof site))
			continue;
		char caller[ANSWER_LEN / 2] = "";
		for (int j = i + 1; j < n && !caller[0]; j++) {
			int tag = dwarf_tag(&scopes[j]);
			if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine)
				weft__die_function_name(&scopes[j], caller, sizeof caller);
		}
		size_t used = strlen(buf);
		if (caller[0])
			snprintf(buf + used, len - used, "\n%s (%s)", site, caller);
		else
			snprintf(buf + used, len - used, "\n%s", site);
	}
	if (n > 0)
		free(scopes);
	return true;
}
