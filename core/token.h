/* Replay tokens: the text form of one execution's schedule, short enough to paste into a bug
 * report and strict enough that a damaged copy is refused rather than replayed as something
 * else. This header holds the format and the two calls that write and read it; running a
 * schedule is the explorer's business (explore.h).
 *
 * A token is "weft1:" followed by unpadded base64url of a binary payload:
 *
 *	varint  count of choices
 *	count times:
 *		varint  step gap: the first choice's step, then step - previous step (never 0)
 *		varint  thread (below WEFT_MAX_THREADS)
 *	4 bytes the low 32 bits, little endian, of XXH3_64bits over everything before them
 *
 * Varints are unsigned LEB128 in their shortest form, at most 32 bits. The gap is the plain
 * difference rather than the difference minus one, so that a zero gap (a repeated step) stays
 * expressible and the decoder can name it instead of silently reading some other schedule; it
 * costs a byte only for gaps of exactly 128, 16384 and so on. The text form is canonical: one
 * schedule has exactly one token, so tokens can be compared as strings.
 *
 * The number after "weft" is the token format, independent of WEFT_PROTOCOL_VERSION. Any change
 * to the payload must bump WEFT_TOKEN_FORMAT so that an old weft refuses a new token by name. */
#ifndef WEFT_TOKEN_H
#define WEFT_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol.h"

#define WEFT_TOKEN_FORMAT 1
#define WEFT_TOKEN_PREFIX "weft1:"

/* Choices in one token. The explorer records far fewer (one per choice point, bounded by
 * --max-steps), so a token that claims more is damaged, and the decoder refuses it before
 * allocating anything. */
#define WEFT_TOKEN_MAX_CHOICES 10000000u

/* Returns a malloc'd NUL-terminated token for choices[0..n), or NULL when malloc fails or the
 * choices are not a schedule (steps not strictly increasing, a thread >= WEFT_MAX_THREADS, more
 * than WEFT_TOKEN_MAX_CHOICES choices, or choices NULL with n > 0). */
char *weft_token_encode(const struct weft_choice *choices, uint32_t n);

/* Decodes a token, ignoring whitespace around it, into a malloc'd array *out of *n choices
 * (never NULL on success, even for n == 0; the caller frees it). On failure returns false, sets
 * *out = NULL and *n = 0 and, when err is not NULL and errlen > 0, writes a one-line message
 * saying what is wrong with the token and what to do about it. Any NUL-terminated text is safe
 * to pass, NULL included. */
bool weft_token_decode(const char *text, struct weft_choice **out, uint32_t *n, char *err,
                       size_t errlen);

#endif
