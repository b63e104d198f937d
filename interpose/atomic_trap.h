/* Inline atomics in binaries not built with -fsanitize=thread: before main,
 * atomic_trap_scan.c disassembles the executable segments of the program
 * and of its non-system shared libraries (capstone) and lists the atomic
 * read-modify-write instructions (lock-prefixed, xchg with memory,
 * cmpxchg) and the mov that a following mfence makes a sequentially
 * consistent store; atomic_trap.c replaces the first byte of each with a
 * breakpoint and, on SIGTRAP, takes a scheduling decision on the address
 * the instruction touches, then runs the original instruction out of line.
 * Atomic loads are plain movs and stay invisible (unseen.c says so). */
#ifndef WEFT_ATOMIC_TRAP_H
#define WEFT_ATOMIC_TRAP_H

#include <stdbool.h>
#include <stdint.h>

enum weft_trap_kind {
	WEFT_TRAP_RMW,   /* lock add/xadd/inc/or/..., xchg: always writes */
	WEFT_TRAP_CAS,   /* cmpxchg*: writes only when it succeeds (ZF set) */
	WEFT_TRAP_STORE, /* mov to memory followed by mfence */
};

#define WEFT_TRAP_NO_REG (-1)
#define WEFT_TRAP_RIP (-2) /* base register RIP: relative to the next instruction */

/* One trapped instruction. */
struct weft_trap_site {
	uintptr_t addr;  /* the instruction in the program's code */
	uintptr_t tramp; /* its copy: the instruction, int3, jmp back */
	uint8_t len;     /* bytes of the instruction */
	uint8_t kind;    /* enum weft_trap_kind */
	uint8_t size;    /* bytes of the memory operand */
	uint8_t scale;
	int8_t base, index;  /* ucontext gregs indexes, WEFT_TRAP_NO_REG or WEFT_TRAP_RIP */
	uint8_t disp_offset; /* where the displacement lies in the instruction, 0: none */
	uint8_t orig_byte;   /* the byte the breakpoint replaced */
	uint8_t wide_cas;    /* cmpxchg8b or cmpxchg16b: the comparand is rdx:rax */
	int64_t disp;
	uint8_t bytes[16]; /* the instruction as it was */
};

/* Calls found(site, module_lo, module_hi, arg) for every atomic
 * instruction of the program's own code and its non-system libraries that
 * can be trapped, and weft__unseen_site() for those that cannot (an
 * address form the handler cannot compute). Returns false when capstone
 * cannot be opened. */
bool weft__trap_scan(void (*found)(const struct weft_trap_site *site, uintptr_t module_lo,
                                   uintptr_t module_hi, void *arg),
                     void *arg);

/* Patch the instructions before main (from __libc_start_main), unless
 * WEFT_TRAP_ATOMICS=0 or the runtime is not in charge of this process. */
void weft__trap_install(void);

#endif
