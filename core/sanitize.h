/* Making the program's text safe for terminals and JSON (sanitize.c). */
#ifndef WEFT_SANITIZE_H
#define WEFT_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the valid UTF-8 sequence (not a C0 or C1 control other than
 * those ASCII allows) that starts at p, or 0 if none starts there. */
size_t weft_utf8_sequence(const unsigned char *p);

/* In place: every control character (but newlines and tabs when keep_lines)
 * and every byte that is not part of valid UTF-8 becomes '?'. */
void weft_text_sanitize(char *text, bool keep_lines);

#endif
