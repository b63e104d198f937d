/* Which program a replay token belongs to. A token printed by `weft run`
 * ends with "_P" and 16 hexadecimal digits after its schedule (characters
 * of the token alphabet, so that a token stays one word that scripts match
 * with weft1:[A-Za-z0-9_-]*): the high 32
 * bits identify the program file (its GNU build-id, or its contents when it
 * has none), the low 32 bits its arguments. `weft replay` refuses a token
 * whose program or arguments differ, instead of replaying a schedule that
 * means nothing there. A token without the suffix (older weft, weft_check)
 * is replayed unchecked; the schedule's own format (token.h) is unchanged. */
#define _GNU_SOURCE
#include "token_program.h"
#include "token.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#define SUFFIX_LEN 18 /* "_P" and 16 hex digits */

/* XXH3 of the build-id note's bytes, or 0 when there is none. */
static uint64_t build_id_hash(Elf *elf)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_NOTE)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		size_t offset = 0, name_at, desc_at;
		GElf_Nhdr note;
		while (data &&
		       (offset = gelf_getnote(data, offset, &note, &name_at, &desc_at)) > 0 &&
		       offset <= data->d_size) {
			if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 &&
			    memcmp((char *)data->d_buf + name_at, "GNU", 4) == 0 &&
			    desc_at + note.n_descsz <= data->d_size)
				return XXH3_64bits((char *)data->d_buf + desc_at, note.n_descsz) |
				       1;
		}
	}
	return 0;
}

static uint64_t contents_hash(int fd)
{
	XXH3_state_t *state = XXH3_createState();
	if (!state)
		return 0;
	XXH3_64bits_reset(state);
	char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		XXH3_64bits_update(state, buf, (size_t)n);
	uint64_t h = XXH3_64bits_digest(state);
	XXH3_freeState(state);
	return h;
}

static uint32_t program_hash(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	uint64_t h = 0;
	elf_version(EV_CURRENT);
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf) {
		h = build_id_hash(elf);
		elf_end(elf);
	}
	if (!h) {
		lseek(fd, 0, SEEK_SET);
		h = contents_hash(fd);
	}
	close(fd);
	return (uint32_t)(h ^ (h >> 32));
}

uint64_t weft_program_identity(const char *path, char *const *argv)
{
	XXH3_state_t *state = XXH3_createState();
	uint64_t args = 0;
	if (state) {
		XXH3_64bits_reset(state);
		/* argv[0] names the program, which may be reached by another path. */
		for (size_t i = 1; argv && argv[i]; i++)
			XXH3_64bits_update(state, argv[i], strlen(argv[i]) + 1);
		args = XXH3_64bits_digest(state);
		XXH3_freeState(state);
	}
	return (uint64_t)program_hash(path) << 32 | (uint32_t)(args ^ (args >> 32));
}

char *weft_token_with_program(char *token, uint64_t identity)
{
	if (!token)
		return NULL;
	size_t n = strlen(token);
	char *longer = realloc(token, n + SUFFIX_LEN + 1);
	if (!longer)
		return token;
	snprintf(longer + n, SUFFIX_LEN + 1, "_P%016llx", (unsigned long long)identity);
	return longer;
}

bool weft_token_split_program(const char *text, char **schedule, bool *has_identity,
                              uint64_t *identity)
{
	*has_identity = false;
	*schedule = strdup(text ? text : "");
	if (!*schedule)
		return false;
	char *end = *schedule + strlen(*schedule);
	while (end > *schedule && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
		end--;
	*end = '\0';
	/* A whole token that decodes (its checksum holds) has no suffix: the
	 * suffix's characters could also end a schedule. */
	struct weft_choice *choices = NULL;
	uint32_t n = 0;
	if (end - *schedule <= SUFFIX_LEN || weft_token_decode(*schedule, &choices, &n, NULL, 0)) {
		free(choices);
		return true;
	}
	char *dot = end - SUFFIX_LEN;
	if (dot[0] != '_' || dot[1] != 'P')
		return true; /* no suffix: the decoder says what is wrong */
	unsigned long long v = 0;
	for (const char *p = dot + 2; *p; p++) {
		int d = *p >= '0' && *p <= '9'   ? *p - '0'
		        : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
		                                 : -1;
		if (d < 0)
			return true;
		v = v << 4 | (unsigned)d;
	}
	*dot = '\0';
	*identity = v;
	*has_identity = true;
	return true;
}
