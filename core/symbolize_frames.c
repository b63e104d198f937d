/* Call stacks for reports: each return address expanded into the frames
 * the compiler inlined there, each one marked as the program's own code or
 * not, so a report can point at the test rather than at libc, libstdc++'s
 * headers or weft's runtime. */
#define _GNU_SOURCE
#include "symbolize_frames.h"

#include <dwarf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Libraries of the system and of weft: never the program's own code, even
 * with their debug information installed. */
static bool system_module(const char *path)
{
	const char *name = base_name(path);
	return starts_with(path, "/lib/") || starts_with(path, "/lib64/") ||
	       starts_with(path, "/usr/lib/") || starts_with(path, "/usr/lib64/") ||
	       starts_with(name, "libweft") || starts_with(name, "ld-linux") ||
	       starts_with(name, "libc.so") || starts_with(name, "libstdc++") ||
	       starts_with(name, "libgcc_s") || starts_with(name, "libpthread");
}

/* Headers of the C and C++ libraries (std::mutex::lock is inlined from
 * /usr/include/c++/12/bits/std_mutex.h into the test). */
static bool system_source(const char *path)
{
	return starts_with(path, "/usr/include/") || starts_with(path, "/usr/lib/") ||
	       starts_with(path, "/usr/local/include/");
}

/* Appends one line of the text form; false when out is full. */
/* own: 1 for the program's own code, 2 for weft's runtime, 0 otherwise. */
static bool add(char *out, size_t len, int own, int line, const char *path, const char *where)
{
	size_t used = strlen(out);
	int n = snprintf(out + used, len - used, "%d\t%d\t%s\t%s\n", own, line, path, where);
	if (n < 0 || (size_t)n >= len - used) {
		out[used] = '\0';
		return false;
	}
	return true;
}

/* The source path of a line, made absolute with the unit's directory when
 * the compiler recorded it relative. */
static void full_path(Dwarf_Die *cu, const char *file, char *out, size_t len)
{
	if (file[0] == '/' || !cu) {
		snprintf(out, len, "%s", file);
		return;
	}
	Dwarf_Attribute attr;
	const char *dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &attr));
	if (dir)
		snprintf(out, len, "%s/%s", dir, file);
	else
		snprintf(out, len, "%s", file);
}

/* The call site of an inlined instance: its file and line. */
static bool call_site(Dwarf_Die *inlined, Dwarf_Files *files, const char **file, int *line)
{
	Dwarf_Attribute attr;
	Dwarf_Word f = 0, l = 0;
	if (!files || dwarf_formudata(dwarf_attr(inlined, DW_AT_call_file, &attr), &f) != 0 ||
	    dwarf_formudata(dwarf_attr(inlined, DW_AT_call_line, &attr), &l) != 0 || l == 0)
		return false;
	*file = dwarf_filesrc(files, f, NULL, NULL);
	*line = (int)l;
	return *file != NULL;
}

/* The name of the function (or inlined instance) that scopes[i..] is in. */
static void enclosing(Dwarf_Die *scopes, int from, int n, char *out, size_t len)
{
	out[0] = '\0';
	for (int j = from; j < n && !out[0]; j++) {
		int tag = dwarf_tag(&scopes[j]);
		if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine)
			weft__die_function_name(&scopes[j], out, len);
	}
}

static bool add_frame(char *out, size_t len, bool own_module, Dwarf_Die *cu, const char *file,
                      int line, const char *function)
{
	char path[WEFT_PATH_LEN], where[256];
	full_path(cu, file, path, sizeof path);
	if (function[0])
		snprintf(where, sizeof where, "%s:%d (%s)", base_name(file), line, function);
	else
		snprintf(where, sizeof where, "%s:%d", base_name(file), line);
	return add(out, len, own_module && !system_source(path), line, path, where);
}

bool weft__describe_frames(Dwfl *dwfl, uint64_t pc, char *out, size_t len)
{
	out[0] = '\0';
	Dwarf_Addr at = pc - 1, bias = 0;
	Dwfl_Module *mod = dwfl_addrmodule(dwfl, at);
	if (!mod)
		return false;
	const char *module = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	/* weft's runtime: one frame, marked so that reports can leave it out */
	if (module && strncmp(base_name(module), "libweft", 7) == 0)
		return add(out, len, 2, 0, "", base_name(module));
	bool own_module = module && !system_module(module);
	Dwarf_Die *cu = weft__unit_of(mod, at, &bias);
	Dwarf_Line *line = cu ? dwarf_getsrc_die(cu, at - bias) : NULL;
	const char *file = line ? dwarf_linesrc(line, NULL, NULL) : NULL;
	int lineno = 0;
	/* No line information: the caller words the symbol, or the library
	 * and offset, as weft_symbolize_code does. */
	if (!file || dwarf_lineno(line, &lineno) != 0 || lineno <= 0)
		return false;
	Dwarf_Die *found = NULL, *scopes = NULL;
	int nfound = dwarf_getscopes(cu, at - bias, &found), n = 0;
	char function[256] = "";
	enclosing(found, 0, nfound, function, sizeof function);
	add_frame(out, len, own_module, cu, file, lineno, function);
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
		const char *site;
		int site_line;
		if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine ||
		    !call_site(&scopes[i], files, &site, &site_line))
			continue;
		enclosing(scopes, i + 1, n, function, sizeof function);
		if (!add_frame(out, len, own_module, cu, site, site_line, function))
			break;
	}
	if (n > 0)
		free(scopes);
	return true;
}

uint32_t weft_symbolize_frames(struct weft_symbolizer *s, uint64_t pc, struct weft_frame *out,
                               uint32_t max)
{
	if (max == 0 || pc == 0)
		return 0;
	char text[2048];
	if (!s || !weft__symbolize_frames_text(s, pc, text, sizeof text)) {
		/* No line: what weft_symbolize_code says (symbol or library+offset). */
		memset(&out[0], 0, sizeof out[0]);
		if (!s || !weft_symbolize_code(s, pc, out[0].where, sizeof out[0].where))
			snprintf(out[0].where, sizeof out[0].where, "%#llx",
			         (unsigned long long)pc);
		return 1;
	}
	uint32_t n = 0;
	for (char *line = text, *end; *line && n < max; line = end + 1) {
		end = strchr(line, '\n');
		if (!end)
			break;
		*end = '\0';
		struct weft_frame *f = &out[n];
		/* own TAB line TAB path TAB where; the path may be empty */
		char *line_text = strchr(line, '\t');
		char *path = line_text ? strchr(line_text + 1, '\t') : NULL;
		char *where = path ? strchr(path + 1, '\t') : NULL;
		if (!where)
			break;
		*path++ = '\0';
		*where++ = '\0';
		int own = atoi(line);
		f->line = atoi(line_text + 1);
		f->own = own == 1;
		f->weft = own == 2;
		snprintf(f->path, sizeof f->path, "%s", path);
		snprintf(f->where, sizeof f->where, "%s", where);
		n++;
	}
	return n;
}
