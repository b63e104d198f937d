/* --yield-at with a C++ function named by its demangled signature
 * ("spin::Lock::lock()"): the mangled name is found among the functions the
 * loaded objects export, by demangling each with the C++ runtime's own
 * __cxa_demangle (found with dlsym: weft's runtime links no C++ library,
 * and a program without libstdc++ has no C++ functions to name). Spaces do
 * not count in the comparison, so "f(int *)" names f(int*). */
#define _GNU_SOURCE
#include <ctype.h>
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

typedef char *(*demangle_fn)(const char *, char *, size_t *, int *);

struct search {
	const char *signature;
	demangle_fn demangle;
	char *out;
	size_t len;
	bool found;
};

static bool same_without_spaces(const char *a, const char *b)
{
	for (;;) {
		while (isspace((unsigned char)*a))
			a++;
		while (isspace((unsigned char)*b))
			b++;
		if (*a != *b)
			return false;
		if (!*a)
			return true;
		a++, b++;
	}
}

/* The dynamic symbol table runs up to the string table in the layouts the
 * linkers produce (.dynsym before .dynstr, hash tables between them at
 * most): its length without the section headers, which are not loaded. */
static int search_object(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	struct search *s = data;
	if (s->found)
		return 1;
	const ElfW(Dyn) *dyn = NULL;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
			dyn = (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
	if (!dyn)
		return 0;
	const ElfW(Sym) *symtab = NULL;
	const char *strtab = NULL;
	size_t strsz = 0;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		/* Most objects hold relocated addresses here; the vDSO offsets. */
		uintptr_t p = dyn->d_un.d_ptr;
		if (p < info->dlpi_addr)
			p += info->dlpi_addr;
		if (dyn->d_tag == DT_SYMTAB)
			symtab = (const ElfW(Sym) *)p;
		else if (dyn->d_tag == DT_STRTAB)
			strtab = (const char *)p;
		else if (dyn->d_tag == DT_STRSZ)
			strsz = dyn->d_un.d_val;
	}
	if (!symtab || !strtab || (const char *)symtab >= strtab)
		return 0;
	size_t n = (size_t)(strtab - (const char *)symtab) / sizeof *symtab;
	for (size_t i = 1; i < n; i++) {
		const ElfW(Sym) *sym = &symtab[i];
		/* Past the table (a hash table may lie between it and the
		 * strings) the entries are garbage: never read past the strings. */
		if (ELF64_ST_TYPE(sym->st_info) != STT_FUNC || sym->st_shndx == SHN_UNDEF ||
		    sym->st_name >= strsz)
			continue;
		const char *name = strtab + sym->st_name;
		if (name[0] != '_' || name[1] != 'Z')
			continue;
		int status = -1;
		char *text = s->demangle(name, NULL, NULL, &status);
		bool match = status == 0 && text && same_without_spaces(text, s->signature);
		free(text);
		if (match && strlen(name) < s->len) {
			strcpy(s->out, name);
			s->found = true;
			return 1;
		}
	}
	return 0;
}

bool weft__wrap_find_mangled(const char *signature, char *out, size_t len)
{
	struct search s = {signature, (demangle_fn)dlsym(RTLD_DEFAULT, "__cxa_demangle"), out, len,
	                   false};
	if (!s.demangle)
		return false;
	dl_iterate_phdr(search_object, &s);
	return s.found;
}
