/* Finding the functions named with --yield-at and redirecting their calls.
 * The specs arrive parsed in the exchange region and are checked again here.
 * Each function's definition comes from dlsym (never from a GOT slot: under
 * lazy binding a slot still points back into its own PLT); then every loaded
 * object's JUMP_SLOT and GLOB_DAT relocations against that name, found
 * through dl_iterate_phdr and the dynamic section, get the closure's address
 * instead, with the page made writable for a moment under RELRO. This covers
 * lazy and immediate binding, -fno-plt and -no-pie alike. Calls that never go
 * through a GOT (inside the defining object) cannot be redirected.
 *
 * It runs before main, in every process that loads the runtime; a failure is
 * only remembered there, and becomes a configuration error when the process
 * turns out to be the one weft controls (a wrapper shell lacks the names). */
#define _GNU_SOURCE
#include "wrap.h"
#include "fiber_io.h"

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define RELOC_JUMP_SLOT R_X86_64_JUMP_SLOT
#define RELOC_GLOB_DAT R_X86_64_GLOB_DAT
#elif defined(__aarch64__)
#define RELOC_JUMP_SLOT R_AARCH64_JUMP_SLOT
#define RELOC_GLOB_DAT R_AARCH64_GLOB_DAT
#endif

static struct weft_wrapped wrapped[WEFT_MAX_WRAPPED];
static uint32_t nwrapped;
static bool installed;
static char error[WEFT_MESSAGE_LEN]; /* the first spec that could not be applied */

struct range {
	uintptr_t lo, hi;
};

static struct range load_range(const struct dl_phdr_info *info)
{
	struct range r = {UINTPTR_MAX, 0};
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;
		if (a < r.lo)
			r.lo = a;
		if (a + ph->p_memsz > r.hi)
			r.hi = a + ph->p_memsz;
	}
	return r;
}

struct range_query {
	uintptr_t addr;
	struct range found;
};

static int find_range(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	struct range_query *q = data;
	struct range r = load_range(info);
	if (q->addr >= r.lo && q->addr < r.hi) {
		q->found = r;
		return 1;
	}
	return 0;
}

bool weft__object_range(const void *inside, uintptr_t *lo, uintptr_t *hi)
{
	struct range_query q = {(uintptr_t)inside, {0, 0}};
	dl_iterate_phdr(find_range, &q);
	*lo = q.found.lo;
	*hi = q.found.hi;
	return q.found.hi != 0;
}

/* Objects whose GOTs are left alone: the runtime and libffi (the wrapper
 * must not wrap itself), the C library and the dynamic loader (their own
 * internal calls are not the program's). */
static struct range skipped[4];

static bool is_skipped(const struct dl_phdr_info *info, struct range r)
{
	const char *name = info->dlpi_name ? info->dlpi_name : "";
	if (strstr(name, "linux-vdso") || strstr(name, "/ld-linux") || strstr(name, "ld64.so"))
		return true;
	for (size_t i = 0; i < sizeof skipped / sizeof skipped[0]; i++)
		if (skipped[i].hi && skipped[i].lo == r.lo)
			return true;
	return false;
}

/* The dynamic loader relocates the addresses in most objects' dynamic
 * sections in place, but not the vDSO's nor on every architecture. */
static uintptr_t dyn_ptr(const struct dl_phdr_info *info, ElfW(Addr) value)
{
	return value < info->dlpi_addr ? info->dlpi_addr + value : value;
}

struct dynamic {
	const ElfW(Sym) * symtab;
	const char *strtab;
	size_t strsz;
	const ElfW(Rela) * rela, *jmprel;
	size_t relasz, jmprelsz;
	bool plt_is_rela;
};

static void read_dynamic(const struct dl_phdr_info *info, const ElfW(Dyn) * d, struct dynamic *dy)
{
	memset(dy, 0, sizeof *dy);
	for (; d->d_tag != DT_NULL; d++) {
		switch (d->d_tag) {
		case DT_SYMTAB:
			dy->symtab = (const ElfW(Sym) *)dyn_ptr(info, d->d_un.d_ptr);
			break;
		case DT_STRTAB:
			dy->strtab = (const char *)dyn_ptr(info, d->d_un.d_ptr);
			break;
		case DT_STRSZ:
			dy->strsz = d->d_un.d_val;
			break;
		case DT_RELA:
			dy->rela = (const ElfW(Rela) *)dyn_ptr(info, d->d_un.d_ptr);
			break;
		case DT_RELASZ:
			dy->relasz = d->d_un.d_val;
			break;
		case DT_JMPREL:
			dy->jmprel = (const ElfW(Rela) *)dyn_ptr(info, d->d_un.d_ptr);
			break;
		case DT_PLTRELSZ:
			dy->jmprelsz = d->d_un.d_val;
			break;
		case DT_PLTREL:
			dy->plt_is_rela = d->d_un.d_val == DT_RELA;
			break;
		}
	}
}

static void set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void set_error(const char *fmt, ...)
{
	if (error[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(error, sizeof error, fmt, ap);
	va_end(ap);
}

/* Writes one slot; under RELRO the dynamic loader made its page read-only
 * (rounding the range's ends down to pages, as done here). */
static bool write_slot(void **slot, void *value, struct range relro, const char *object)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = (uintptr_t)slot, start = a & ~(page - 1);
	bool read_only = a >= (relro.lo & ~(page - 1)) && a < (relro.hi & ~(page - 1));
	if (read_only && mprotect((void *)start, page, PROT_READ | PROT_WRITE) != 0) {
		set_error("cannot make the GOT of %s writable to redirect it: %s", object,
		          strerror(errno));
		return false;
	}
	__atomic_store_n(slot, value, __ATOMIC_RELEASE);
	if (read_only)
		mprotect((void *)start, page, PROT_READ);
	return true;
}

static void patch_table(const struct dl_phdr_info *info, const struct dynamic *dy,
                        const ElfW(Rela) * table, size_t size, struct range self,
                        struct range relro)
{
	const char *object = info->dlpi_name && *info->dlpi_name ? info->dlpi_name : "the program";
	for (size_t i = 0; table && i < size / sizeof *table; i++) {
		const ElfW(Rela) *r = &table[i];
		unsigned long type = ELF64_R_TYPE(r->r_info), sym = ELF64_R_SYM(r->r_info);
		if ((type != RELOC_JUMP_SLOT && type != RELOC_GLOB_DAT) || sym == 0)
			continue;
		uint32_t name_at = dy->symtab[sym].st_name;
		if (name_at >= dy->strsz)
			continue;
		const char *name = dy->strtab + name_at;
		for (uint32_t k = 0; k < nwrapped; k++) {
			struct weft_wrapped *w = &wrapped[k];
			if (name[0] != w->spec.name[0] || strcmp(name, w->spec.name) != 0)
				continue;
			void **slot = (void **)(info->dlpi_addr + r->r_offset);
			uintptr_t now = (uintptr_t)*slot;
			/* Bound already (the definition), or not yet (its own PLT): a
			 * slot bound to another definition of the name is not ours. */
			if (now != (uintptr_t)w->original && !(now >= self.lo && now < self.hi))
				continue;
			if (now != (uintptr_t)w->entry && write_slot(slot, w->entry, relro, object))
				w->slots++;
		}
	}
}

static int patch_object(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	struct range self = load_range(info), relro = {0, 0};
	if (self.lo >= self.hi || is_skipped(info, self))
		return 0;
	const ElfW(Dyn) *dyn = NULL;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_DYNAMIC)
			dyn = (const ElfW(Dyn) *)(info->dlpi_addr + ph->p_vaddr);
		if (ph->p_type == PT_GNU_RELRO)
			relro = (struct range){info->dlpi_addr + ph->p_vaddr,
			                       info->dlpi_addr + ph->p_vaddr + ph->p_memsz};
	}
	if (!dyn)
		return 0;
	struct dynamic dy;
	read_dynamic(info, dyn, &dy);
	if (!dy.symtab || !dy.strtab)
		return 0;
	patch_table(info, &dy, dy.rela, dy.relasz, self, relro);
	if (dy.plt_is_rela)
		patch_table(info, &dy, dy.jmprel, dy.jmprelsz, self, relro);
	return 0;
}

/* Finds one function and builds its closure; false with the error set. */
static bool prepare(struct weft_wrapped *w, const struct weft_wrap_spec *spec, uint32_t index)
{
	char why[WEFT_MESSAGE_LEN - 64], text[160];
	if (!weft_yieldspec_check(spec, why, sizeof why)) {
		set_error("--yield-at: %s", why);
		return false;
	}
	w->spec = *spec;
	w->func = index + 1;
	weft_yieldspec_format(spec, text, sizeof text);
	/* Named by its C++ signature: the GOTs and dlsym know the mangled name.
	 * Reports keep the signature (the exchange region's copy). */
	if (spec->demangled &&
	    !weft__wrap_find_mangled(spec->name, w->spec.name, sizeof w->spec.name)) {
		set_error("--yield-at %s: no loaded object exports a C++ function whose "
		          "signature is %s (as c++filt prints it; a member function of a class "
		          "defined in a header may be inline and not exported)",
		          text, spec->name);
		return false;
	}
	w->original = dlsym(RTLD_DEFAULT, w->spec.name);
	Dl_info info;
	if (!w->original || !dladdr(w->original, &info)) {
		set_error(
		    "--yield-at %s: no loaded object defines a function %s (the program's and "
		    "its libraries' dynamic symbol tables were searched; a function of the "
		    "program itself must be exported, e.g. linked with -rdynamic)",
		    text, spec->name);
		return false;
	}
	snprintf(w->where, sizeof w->where, "%s",
	         info.dli_fname && *info.dli_fname ? info.dli_fname : "the program");
	uintptr_t own_lo, own_hi, libc_lo, libc_hi;
	/* The descriptor calls weft turns into waits (fiber_io.c) pass a thread
	 * inside a blocking call to the C library's: they can be wrapped. */
	bool fd_call = weft__fd_call(spec->name);
	if (!fd_call && weft__object_range((void *)weft__wrap_install, &own_lo, &own_hi) &&
	    (uintptr_t)w->original >= own_lo && (uintptr_t)w->original < own_hi) {
		set_error("--yield-at %s: weft already models %s itself; --yield-at is for "
		          "functions weft does not know",
		          text, spec->name);
		return false;
	}
	/* A call of a C library function does not mark the process weft is
	 * meant for: a wrapper shell makes those too. */
	w->claims = !fd_call && !(weft__object_range((void *)weft__real.exit, &libc_lo, &libc_hi) &&
	              (uintptr_t)w->original >= libc_lo && (uintptr_t)w->original < libc_hi);
	if (!weft__wrap_closure_new(w, why, sizeof why)) {
		set_error("--yield-at %s: %s", text, why);
		return false;
	}
	return true;
}

static void install(struct weft_shm *shm);

void weft__wrap_install(void)
{
	struct weft_shm *shm = weft__rt.shm;
	if (installed || !shm || shm->nwrapped == 0)
		return;
	installed = true;
	weft__rt.wrapping = true;
	install(shm);
	weft__rt.wrapping = false;
}

static void install(struct weft_shm *shm)
{
#ifndef RELOC_JUMP_SLOT
	set_error("--yield-at is supported on x86-64 and aarch64 only");
	return;
#else
	if (shm->nwrapped > WEFT_MAX_WRAPPED) {
		set_error("--yield-at: more than %d functions", WEFT_MAX_WRAPPED);
		return;
	}
	for (uint32_t i = 0; i < shm->nwrapped; i++)
		if (!prepare(&wrapped[i], &shm->wrapped[i], i))
			return;
	nwrapped = shm->nwrapped;
	weft__object_range((void *)weft__wrap_install, &skipped[0].lo, &skipped[0].hi);
	weft__object_range((void *)ffi_call, &skipped[1].lo, &skipped[1].hi);
	weft__object_range((void *)weft__real.exit, &skipped[2].lo, &skipped[2].hi);
	weft__wrap_calls_init();
	dl_iterate_phdr(patch_object, NULL);
	for (uint32_t i = 0; i < nwrapped; i++) {
		struct weft_wrapped *w = &wrapped[i];
		char text[160];
		weft_yieldspec_format(&w->spec, text, sizeof text);
		if (w->slots == 0)
			set_error(
			    "--yield-at %s: %s is defined in %s, but no loaded object calls it "
			    "through its GOT (calls inside the object that defines a function are "
			    "direct and cannot be redirected)",
			    text, w->spec.name, w->where);
	}
#endif
}

void weft__wrap_on_claim(void)
{
	weft__wrap_install();
	if (!error[0])
		return;
	struct weft_shm *shm = weft__rt.shm;
	snprintf(shm->message, sizeof shm->message, "%s", error);
	shm->config_error = 1;
	syscall(SYS_exit_group, WEFT_RUNTIME_EXIT_STATUS);
}

struct weft_wrapped *weft__wrap_with_role(unsigned role)
{
	for (uint32_t i = 0; i < nwrapped; i++)
		if (wrapped[i].spec.role == role)
			return &wrapped[i];
	return NULL;
}
