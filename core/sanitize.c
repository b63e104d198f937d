/* Text that comes from the program under test (its messages, the tail of
 * its output, paths it reports) is made safe before a terminal or a JSON
 * file sees it: valid UTF-8 only, and no control characters, so that no
 * escape sequence from the program reaches the terminal and every JSON
 * report parses. */
#include "sanitize.h"

size_t weft_utf8_sequence(const unsigned char *p)
{
	unsigned char c = p[0];
	if (c < 0x80)
		return c ? 1 : 0;
	size_t n;
	unsigned min;
	unsigned cp;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2, min = 0x80, cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3, min = 0x800, cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4, min = 0x10000, cp = c & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0; /* also stops at the terminating NUL */
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp >= 0x80 && cp <= 0x9f)
		return 0; /* C1 controls: CSI (U+009B) starts escape sequences too */
	return n;
}

void weft_text_sanitize(char *text, bool keep_lines)
{
	if (!text)
		return;
	unsigned char *in = (unsigned char *)text, *out = in;
	while (*in) {
		unsigned char c = *in;
		if (c < 0x20 || c == 0x7f) {
			bool kept = keep_lines && (c == '\n' || c == '\t');
			*out++ = kept ? c : '?';
			in++;
			continue;
		}
		size_t n = weft_utf8_sequence(in);
		if (n == 0) {
			*out++ = '?';
			in++;
			continue;
		}
		for (size_t i = 0; i < n; i++)
			*out++ = *in++;
	}
	*out = '\0';
}
