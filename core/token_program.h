/* The program a replay token belongs to (token_program.c). */
#ifndef WEFT_TOKEN_PROGRAM_H
#define WEFT_TOKEN_PROGRAM_H

#include <stdbool.h>
#include <stdint.h>

/* The program file's identity (high 32 bits) and its arguments' (low 32). */
uint64_t weft_program_identity(const char *path, char *const *argv);

/* token (malloc'd) with the identity appended; NULL stays NULL. */
char *weft_token_with_program(char *token, uint64_t identity);

/* Splits a token as given into its schedule (malloc'd into *schedule,
 * for weft_token_decode) and its identity, if it has one. False only when
 * out of memory. */
bool weft_token_split_program(const char *text, char **schedule, bool *has_identity,
                              uint64_t *identity);

#endif
