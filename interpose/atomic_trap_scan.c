/* Finding the atomic instructions to trap (atomic_trap.h): a linear sweep,
 * with capstone, of every executable segment of the program and of its
 * shared libraries outside the system directories (libc, libstdc++, ld.so
 * and the runtime itself synchronise through calls weft already models,
 * or are weft). An instruction whose memory operand the handler cannot
 * compute from the registers (a 32-bit address, an unusual register) is
 * reported as unseen rather than trapped; one addressed through %fs or %gs
 * touches thread-local data that no other thread shares, and is left
 * alone. Modules that are instrumented (-fsanitize=thread) call the
 * runtime for their atomics already and are skipped. Capstone is loaded
 * for the sweep and unloaded after it (unless the program uses it too):
 * its 109 pages of writable data would otherwise be memory that every
 * restore in place (restore.h) looks at after each execution. */
#define _GNU_SOURCE
#include "atomic_trap.h"

#include <capstone.h>
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/ucontext.h>

#include "race.h"
#include "runtime.h"

/* The capstone calls the sweep makes, from the library loaded for it. */
struct capstone {
	cs_err (*open)(cs_arch arch, cs_mode mode, csh *handle);
	cs_err (*option)(csh handle, cs_opt_type type, size_t value);
	cs_insn *(*malloc)(csh handle);
	bool (*disasm_iter)(csh handle, const uint8_t **code, size_t *size, uint64_t *address,
	                    cs_insn *insn);
	void (*free)(cs_insn *insn, size_t count);
	cs_err (*close)(csh *handle);
};

struct scan {
	const struct capstone *api;
	csh cs;
	void (*found)(const struct weft_trap_site *, uintptr_t, uintptr_t, void *);
	void *arg;
};

static bool system_module(const char *name)
{
	static const char *const dirs[] = {"/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/",
	                                   "/usr/libexec/"};
	if (!name || !*name)
		return false; /* the program itself */
	if (!strchr(name, '/') || strstr(name, "libweft"))
		return true; /* the vDSO, the runtime */
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (strncmp(name, dirs[i], strlen(dirs[i])) == 0)
			return true;
	return false;
}

/* The ucontext gregs index of a 64-bit register, or WEFT_TRAP_NO_REG. */
static int greg(unsigned reg)
{
	switch (reg) {
	case X86_REG_RAX:
		return REG_RAX;
	case X86_REG_RBX:
		return REG_RBX;
	case X86_REG_RCX:
		return REG_RCX;
	case X86_REG_RDX:
		return REG_RDX;
	case X86_REG_RSI:
		return REG_RSI;
	case X86_REG_RDI:
		return REG_RDI;
	case X86_REG_RBP:
		return REG_RBP;
	case X86_REG_RSP:
		return REG_RSP;
	case X86_REG_R8:
		return REG_R8;
	case X86_REG_R9:
		return REG_R9;
	case X86_REG_R10:
		return REG_R10;
	case X86_REG_R11:
		return REG_R11;
	case X86_REG_R12:
		return REG_R12;
	case X86_REG_R13:
		return REG_R13;
	case X86_REG_R14:
		return REG_R14;
	case X86_REG_R15:
		return REG_R15;
	default:
		return WEFT_TRAP_NO_REG;
	}
}

static bool is_cas(unsigned id)
{
	return id == X86_INS_CMPXCHG || id == X86_INS_CMPXCHG8B || id == X86_INS_CMPXCHG16B;
}

/* The memory operand, or NULL. */
static const cs_x86_op *memory_operand(const cs_insn *insn)
{
	const cs_x86 *x = &insn->detail->x86;
	for (uint8_t i = 0; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_MEM)
			return &x->operands[i];
	return NULL;
}

/* What kind of atomic the instruction is, or -1. `next` is the instruction
 * after it (NULL at the end), for the mov; mfence form of a store. */
static int classify(const cs_insn *insn, const cs_insn *next)
{
	const cs_x86 *x = &insn->detail->x86;
	if (!memory_operand(insn))
		return -1;
	if (is_cas(insn->id))
		return WEFT_TRAP_CAS;
	if (insn->id == X86_INS_XCHG || x->prefix[0] == X86_PREFIX_LOCK)
		return WEFT_TRAP_RMW;
	if (insn->id == X86_INS_MOV && next && next->id == X86_INS_MFENCE &&
	    x->operands[0].type == X86_OP_MEM)
		return WEFT_TRAP_STORE;
	return -1;
}

static void consider(struct scan *s, const cs_insn *insn, int kind, uintptr_t lo, uintptr_t hi)
{
	const cs_x86_op *m = memory_operand(insn);
	if (m->mem.segment != X86_REG_INVALID)
		return; /* thread-local: %fs or %gs */
	struct weft_trap_site site = {.addr = (uintptr_t)insn->address,
	                              .len = (uint8_t)insn->size,
	                              .kind = (uint8_t)kind,
	                              .size = m->size,
	                              .scale = (uint8_t)m->mem.scale,
	                              .disp = m->mem.disp,
	                              .disp_offset = insn->detail->x86.encoding.disp_offset,
	                              .wide_cas = insn->id == X86_INS_CMPXCHG8B ||
	                                          insn->id == X86_INS_CMPXCHG16B};
	memcpy(site.bytes, insn->bytes, insn->size);
	site.base = m->mem.base == X86_REG_INVALID ? WEFT_TRAP_NO_REG
	            : m->mem.base == X86_REG_RIP   ? WEFT_TRAP_RIP
	                                           : (int8_t)greg(m->mem.base);
	site.index =
	    m->mem.index == X86_REG_INVALID ? WEFT_TRAP_NO_REG : (int8_t)greg(m->mem.index);
	bool ok = (m->mem.base == X86_REG_INVALID || site.base != WEFT_TRAP_NO_REG) &&
	          (m->mem.index == X86_REG_INVALID || site.index != WEFT_TRAP_NO_REG) &&
	          (site.base != WEFT_TRAP_RIP || site.disp_offset) &&
	          insn->detail->x86.addr_size == 8;
	if (!ok) {
		weft__unseen_site(site.addr);
		return;
	}
	s->found(&site, lo, hi, s->arg);
}

static void sweep(struct scan *s, const uint8_t *code, size_t size, uintptr_t lo, uintptr_t hi)
{
	cs_insn *insn = s->api->malloc(s->cs), *next = s->api->malloc(s->cs);
	const uint8_t *p = code;
	uint64_t address = (uint64_t)(uintptr_t)code;
	while (insn && next && size > 0) {
		if (!s->api->disasm_iter(s->cs, &p, &size, &address, insn)) {
			/* A byte capstone cannot decode (data in the text): step over it. */
			p++;
			size--;
			address++;
			continue;
		}
		if (!memory_operand(insn))
			continue;
		/* Look at the next instruction without moving on (mov; mfence). */
		const uint8_t *peek = p;
		size_t peek_size = size;
		uint64_t peek_address = address;
		bool have_next = s->api->disasm_iter(s->cs, &peek, &peek_size, &peek_address, next);
		int kind = classify(insn, have_next ? next : NULL);
		if (kind >= 0 && !weft__race_from_instrumented((uintptr_t)insn->address))
			consider(s, insn, kind, lo, hi);
	}
	if (insn)
		s->api->free(insn, 1);
	if (next)
		s->api->free(next, 1);
}

static int scan_module(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	struct scan *s = data;
	if (system_module(info->dlpi_name))
		return 0;
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;
		if (a < lo)
			lo = a;
		if (a + ph->p_memsz > hi)
			hi = a + ph->p_memsz;
	}
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X))
			sweep(s, (const uint8_t *)(info->dlpi_addr + ph->p_vaddr), ph->p_filesz, lo,
			      hi);
	}
	return 0;
}

bool weft__trap_scan(void (*found)(const struct weft_trap_site *, uintptr_t, uintptr_t, void *),
                     void *arg)
{
	void *lib = dlopen(WEFT_CAPSTONE_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		fprintf(stderr,
		        "weft: cannot load %s (%s): the program's inline atomic instructions are "
		        "not trapped; install capstone (Debian: libcapstone4)\n",
		        WEFT_CAPSTONE_SONAME, dlerror());
		return false;
	}
	struct capstone api = {
	    .open = (cs_err(*)(cs_arch, cs_mode, csh *))dlsym(lib, "cs_open"),
	    .option = (cs_err(*)(csh, cs_opt_type, size_t))dlsym(lib, "cs_option"),
	    .malloc = (cs_insn * (*)(csh)) dlsym(lib, "cs_malloc"),
	    .disasm_iter = (bool (*)(csh, const uint8_t **, size_t *, uint64_t *,
	                             cs_insn *))dlsym(lib, "cs_disasm_iter"),
	    .free = (void (*)(cs_insn *, size_t))dlsym(lib, "cs_free"),
	    .close = (cs_err(*)(csh *))dlsym(lib, "cs_close"),
	};
	struct scan s = {.api = &api, .found = found, .arg = arg};
	bool ok = api.open && api.option && api.malloc && api.disasm_iter && api.free &&
	          api.close && api.open(CS_ARCH_X86, CS_MODE_64, &s.cs) == CS_ERR_OK;
	if (ok) {
		api.option(s.cs, CS_OPT_DETAIL, CS_OPT_ON);
		dl_iterate_phdr(scan_module, &s);
		api.close(&s.cs);
	}
	dlclose(lib);
	return ok;
}
