/* The checks of elfcheck.h: a program lookup that follows execvp's rules,
 * and a look at the ELF header and program headers with libelf. Nothing
 * here runs the program or prints; every answer is a value and a reason. */
#define _GNU_SOURCE
#include "elfcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The machine and word size of the runtime, which a program must share to
 * have it preloaded: ld.so skips a libweft.so of another class or machine
 * with only a warning. EM_NONE where unknown turns the check off. */
#if defined(__x86_64__)
#define RUNTIME_MACHINE EM_X86_64
#elif defined(__i386__)
#define RUNTIME_MACHINE EM_386
#elif defined(__aarch64__)
#define RUNTIME_MACHINE EM_AARCH64
#elif defined(__arm__)
#define RUNTIME_MACHINE EM_ARM
#elif defined(__riscv)
#define RUNTIME_MACHINE EM_RISCV
#elif defined(__powerpc64__)
#define RUNTIME_MACHINE EM_PPC64
#elif defined(__s390x__)
#define RUNTIME_MACHINE EM_S390
#else
#define RUNTIME_MACHINE EM_NONE
#endif
#define RUNTIME_CLASS (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32)

__attribute__((format(printf, 3, 4))) static void say(char *why, size_t whylen, const char *fmt,
                                                      ...)
{
	if (whylen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

static const char *machine_name(unsigned machine)
{
	switch (machine) {
	case EM_X86_64:
		return "x86-64";
	case EM_386:
		return "i386";
	case EM_AARCH64:
		return "AArch64";
	case EM_ARM:
		return "ARM";
	case EM_RISCV:
		return "RISC-V";
	case EM_PPC64:
		return "PowerPC64";
	case EM_S390:
		return "s390";
	default:
		return NULL;
	}
}

static const char *elf_type_name(unsigned type)
{
	switch (type) {
	case ET_REL:
		return "a relocatable object file (.o)";
	case ET_CORE:
		return "a core dump";
	default:
		return "an ELF file of unknown type";
	}
}

/* The kind of an open ELF file of the given size whose magic number has
 * been seen. */
static enum weft_elf_kind classify_elf(Elf *elf, uint64_t size, const char *path, char *why,
                                       size_t whylen)
{
	GElf_Ehdr ehdr;
	if (elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &ehdr)) {
		say(why, whylen, "%s: broken ELF file: %s", path, elf_errmsg(-1));
		return WEFT_ELF_UNREADABLE;
	}
	if (ehdr.e_type != ET_EXEC && ehdr.e_type != ET_DYN) {
		say(why, whylen, "%s: %s, not a program", path, elf_type_name(ehdr.e_type));
		return WEFT_ELF_UNREADABLE;
	}
	if (RUNTIME_MACHINE != EM_NONE && ehdr.e_ident[EI_CLASS] != RUNTIME_CLASS) {
		say(why, whylen, "%s: a %d-bit program; weft's runtime is %d-bit", path,
		    ehdr.e_ident[EI_CLASS] == ELFCLASS64 ? 64 : 32,
		    RUNTIME_CLASS == ELFCLASS64 ? 64 : 32);
		return WEFT_ELF_UNREADABLE;
	}
	if (RUNTIME_MACHINE != EM_NONE && ehdr.e_machine != RUNTIME_MACHINE) {
		const char *name = machine_name(ehdr.e_machine);
		char number[32];
		snprintf(number, sizeof number, "ELF machine %u", ehdr.e_machine);
		say(why, whylen, "%s: a program for %s; weft's runtime is for %s", path,
		    name ? name : number, machine_name(RUNTIME_MACHINE));
		return WEFT_ELF_UNREADABLE;
	}
	/* libelf quietly counts only the program headers that fit in the
	 * file, so a cut-off table would pass for an empty one. */
	size_t phnum;
	if (elf_getphdrnum(elf, &phnum) != 0 ||
	    (ehdr.e_phnum != PN_XNUM && phnum != ehdr.e_phnum)) {
		say(why, whylen, "%s: broken ELF file: its program headers are cut off", path);
		return WEFT_ELF_UNREADABLE;
	}
	bool interp = false;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr phdr;
		if (!gelf_getphdr(elf, (int)i, &phdr)) {
			say(why, whylen, "%s: broken ELF file: %s", path, elf_errmsg(-1));
			return WEFT_ELF_UNREADABLE;
		}
		if (phdr.p_type == PT_LOAD &&
		    (phdr.p_offset > size || phdr.p_filesz > size - phdr.p_offset)) {
			say(why, whylen, "%s: broken ELF file: it ends before its last segment",
			    path);
			return WEFT_ELF_UNREADABLE;
		}
		if (phdr.p_type == PT_INTERP)
			interp = true;
	}
	if (interp)
		return WEFT_ELF_DYNAMIC;
	/* A static PIE is ET_DYN without PT_INTERP too, but has an entry point. */
	if (ehdr.e_type == ET_DYN && ehdr.e_entry == 0) {
		say(why, whylen, "%s: a shared library, not a program", path);
		return WEFT_ELF_UNREADABLE;
	}
	say(why, whylen, "%s: statically linked (no PT_INTERP program header)", path);
	return WEFT_ELF_STATIC;
}

/* The kind of the open file at path. */
static enum weft_elf_kind classify_fd(int fd, const char *path, char *why, size_t whylen)
{
	struct stat st;
	if (fstat(fd, &st) != 0) {
		say(why, whylen, "%s: cannot read: %s", path, strerror(errno));
		return WEFT_ELF_UNREADABLE;
	}
	if (!S_ISREG(st.st_mode)) {
		say(why, whylen, "%s: %s", path,
		    S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
		return WEFT_ELF_UNREADABLE;
	}
	unsigned char magic[SELFMAG];
	ssize_t n = pread(fd, magic, sizeof magic, 0);
	if (n < 0) {
		say(why, whylen, "%s: cannot read: %s", path, strerror(errno));
		return WEFT_ELF_UNREADABLE;
	}
	if (n < SELFMAG || memcmp(magic, ELFMAG, SELFMAG) != 0) {
		if (n >= 2 && magic[0] == '#' && magic[1] == '!')
			say(why, whylen, "%s: a script (starts with #!), not an ELF file", path);
		else
			say(why, whylen, "%s: not an ELF file", path);
		return WEFT_ELF_NOT_ELF;
	}
	elf_version(EV_CURRENT);
	/* ELF_C_READ reads headers on demand instead of mapping the file. */
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf) {
		say(why, whylen, "%s: broken ELF file: %s", path, elf_errmsg(-1));
		return WEFT_ELF_UNREADABLE;
	}
	enum weft_elf_kind kind = classify_elf(elf, (uint64_t)st.st_size, path, why, whylen);
	elf_end(elf);
	return kind;
}

enum weft_elf_kind weft_elf_classify(const char *path, char *why, size_t whylen)
{
	if (whylen > 0)
		why[0] = '\0';
	/* O_NONBLOCK keeps the open of a FIFO from waiting for a writer. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		say(why, whylen, "%s: cannot open: %s", path, strerror(errno));
		return WEFT_ELF_UNREADABLE;
	}
	enum weft_elf_kind kind = classify_fd(fd, path, why, whylen);
	close(fd);
	return kind;
}

enum file_state {
	FILE_RUNNABLE,
	FILE_ABSENT,  /* nothing to run there: missing, unreachable or a directory */
	FILE_REFUSED, /* a file, but not a regular one with execute permission */
};

/* Looks at a candidate program; why says what is wrong unless runnable. */
static enum file_state examine(const char *path, char *why, size_t whylen)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			say(why, whylen, "%s: no such file", path);
		else
			say(why, whylen, "%s: %s", path, strerror(errno));
		return FILE_ABSENT;
	}
	if (S_ISDIR(st.st_mode)) {
		say(why, whylen, "%s: is a directory", path);
		return FILE_ABSENT;
	}
	if (!S_ISREG(st.st_mode)) {
		say(why, whylen, "%s: not a regular file", path);
		return FILE_REFUSED;
	}
	if (access(path, X_OK) != 0) {
		say(why, whylen, "%s: not executable", path);
		return FILE_REFUSED;
	}
	return FILE_RUNNABLE;
}

static bool copy_out(const char *path, char *out, size_t outlen, char *why, size_t whylen)
{
	size_t len = strlen(path);
	if (len >= outlen) {
		say(why, whylen, "%s: path too long (more than %zu bytes)", path,
		    outlen ? outlen - 1 : 0);
		return false;
	}
	memcpy(out, path, len + 1);
	return true;
}

/* The search of a name without '/' through PATH, in order. As with execvp,
 * a file that cannot be run does not end the search, but is what gets
 * reported when nothing runnable turns up. */
static bool search_path(const char *name, char *out, size_t outlen, char *why, size_t whylen)
{
	const char *path = getenv("PATH");
	char system_path[256];
	if (!path) {
		size_t n = confstr(_CS_PATH, system_path, sizeof system_path);
		path = n > 0 && n <= sizeof system_path ? system_path : "/bin:/usr/bin";
	}
	size_t size = strlen(path) + strlen(name) + 3;
	char *candidate = malloc(size);
	if (!candidate) {
		say(why, whylen, "%s: out of memory searching PATH", name);
		return false;
	}
	bool refused = false;
	for (const char *dir = path;; dir++) {
		int dirlen = (int)strcspn(dir, ":");
		/* An empty entry is the current directory. */
		if (dirlen == 0)
			snprintf(candidate, size, "./%s", name);
		else
			snprintf(candidate, size, "%.*s/%s", dirlen, dir, name);
		char reason[512];
		enum file_state state = examine(candidate, reason, sizeof reason);
		if (state == FILE_RUNNABLE) {
			if (whylen > 0)
				why[0] = '\0';
			bool copied = copy_out(candidate, out, outlen, why, whylen);
			free(candidate);
			return copied;
		}
		if (state == FILE_REFUSED && !refused) {
			say(why, whylen, "%s", reason);
			refused = true;
		}
		dir += dirlen;
		if (!*dir)
			break;
	}
	free(candidate);
	if (refused)
		return false;
	if (examine(name, NULL, 0) == FILE_RUNNABLE)
		say(why, whylen, "%s: not found in PATH (to run the one here, write ./%s)", name,
		    name);
	else
		say(why, whylen, "%s: not found in PATH", name);
	return false;
}

bool weft_find_program(const char *name, char *out, size_t outlen, char *why, size_t whylen)
{
	if (whylen > 0)
		why[0] = '\0';
	if (!name || !*name) {
		say(why, whylen, "no program given (the name is empty)");
		return false;
	}
	if (strchr(name, '/'))
		return examine(name, why, whylen) == FILE_RUNNABLE &&
		       copy_out(name, out, outlen, why, whylen);
	return search_path(name, out, outlen, why, whylen);
}
