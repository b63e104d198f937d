/* Checks on a program before weft runs it: finding it the way execvp would,
 * and telling a dynamically linked ELF program (which honours the
 * LD_PRELOAD that loads the runtime) from a static one, a script or a file
 * that cannot be used. It only inspects files; the wording of a refusal is
 * the caller's, with the reasons given here as its detail. */
#ifndef WEFT_ELFCHECK_H
#define WEFT_ELFCHECK_H

#include <stdbool.h>
#include <stddef.h>

enum weft_elf_kind {
	WEFT_ELF_DYNAMIC,    /* has a PT_INTERP program header: ld.so will load the runtime */
	WEFT_ELF_STATIC,     /* no PT_INTERP: linked with -static or -static-pie */
	WEFT_ELF_NOT_ELF,    /* a "#!" script or any other file that is not ELF */
	WEFT_ELF_UNREADABLE, /* cannot be read, is a broken ELF file, or is ELF but not a
	                      * program the runtime can join: an object file, a shared
	                      * library, a core dump, another architecture or word size */
};

/* Classifies the file at path. why gets a sentence naming the file for
 * every kind but WEFT_ELF_DYNAMIC ("./t: statically linked (no PT_INTERP
 * program header)", "./t: cannot open: Permission denied") and "" for it;
 * why may be NULL when whylen is 0. */
enum weft_elf_kind weft_elf_classify(const char *path, char *why, size_t whylen);

/* Resolves name as execvp does: a name containing '/' is taken as a path,
 * any other is searched for in the directories of PATH (an empty entry
 * meaning the current directory, an unset PATH meaning the system default).
 * The result must be a regular file with execute permission. On success out
 * holds the path to run ("./t", "/usr/bin/t"); on failure why says what was
 * wrong ("./t: no such file", "t: not found in PATH", "./t: not
 * executable"). */
bool weft_find_program(const char *name, char *out, size_t outlen, char *why, size_t whylen);

#endif
