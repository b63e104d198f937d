/* Writing and reading replay tokens; the format is described in token.h. The reader trusts
 * nothing it is given: every length is checked before it is used, nothing proportional to the
 * claimed count is allocated before the checksum and the count have been checked, and each
 * refusal says what was wrong and what to do. Whether a schedule fits a program is found out
 * by replaying it, not here. */
#include "token.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define PREFIX_LEN (sizeof WEFT_TOKEN_PREFIX - 1)
#define CHECKSUM_LEN 4
#define VARINT_MAX_LEN 5 /* 32 bits in 7-bit groups */
#define CHOICE_MIN_LEN 2 /* a one-byte gap and a one-byte thread */
#define CHOICE_MAX_LEN (VARINT_MAX_LEN + 1)
#define PAYLOAD_MAX_LEN                                                                            \
	(VARINT_MAX_LEN + (size_t)WEFT_TOKEN_MAX_CHOICES * CHOICE_MAX_LEN + CHECKSUM_LEN)
#define EXCERPT_LEN 24 /* characters of a foreign string quoted back in a message */

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int base64url_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

static size_t base64url_length(size_t len)
{
	return len / 3 * 4 + (len % 3 ? len % 3 + 1 : 0);
}

static void base64url_encode(const uint8_t *bytes, size_t len, char *text)
{
	uint32_t bits = 0;
	unsigned nbits = 0;
	for (size_t i = 0; i < len; i++) {
		bits = bits << 8 | bytes[i];
		nbits += 8;
		while (nbits >= 6) {
			nbits -= 6;
			*text++ = alphabet[bits >> nbits & 63];
		}
		bits &= (1u << nbits) - 1;
	}
	if (nbits)
		*text++ = alphabet[bits << (6 - nbits) & 63];
}

/* Decodes len characters, all of the alphabet and len % 4 != 1, into len * 3 / 4 bytes.
 * Returns whether the last character carries bits beyond the last byte, which an encoder
 * leaves zero. */
static bool base64url_decode(const char *text, size_t len, uint8_t *bytes)
{
	uint32_t bits = 0;
	unsigned nbits = 0;
	for (size_t i = 0; i < len; i++) {
		bits = bits << 6 | (uint32_t)base64url_value((unsigned char)text[i]);
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			*bytes++ = (uint8_t)(bits >> nbits);
		}
		bits &= (1u << nbits) - 1;
	}
	return bits != 0;
}

static size_t put_varint(uint8_t *at, uint32_t value)
{
	size_t len = 0;
	while (value >= 0x80) {
		at[len++] = (uint8_t)(value | 0x80);
		value >>= 7;
	}
	at[len++] = (uint8_t)value;
	return len;
}

struct reader {
	const uint8_t *at, *end;
};

enum varint_result {
	VARINT_OK,
	VARINT_CUT,       /* the bytes end inside it */
	VARINT_TOO_BIG,   /* more than 32 bits */
	VARINT_NOT_SHORT, /* a needless trailing zero group */
};

static enum varint_result read_varint(struct reader *r, uint32_t *value)
{
	uint64_t v = 0;
	for (unsigned shift = 0;; shift += 7) {
		if (shift == 7 * VARINT_MAX_LEN)
			return VARINT_TOO_BIG;
		if (r->at == r->end)
			return VARINT_CUT;
		uint8_t byte = *r->at++;
		v |= (uint64_t)(byte & 0x7f) << shift;
		if (byte & 0x80)
			continue;
		if (byte == 0 && shift > 0)
			return VARINT_NOT_SHORT;
		if (v > UINT32_MAX)
			return VARINT_TOO_BIG;
		*value = (uint32_t)v;
		return VARINT_OK;
	}
}

static uint32_t checksum(const uint8_t *bytes, size_t len)
{
	return (uint32_t)XXH3_64bits(bytes, len);
}

char *weft_token_encode(const struct weft_choice *choices, uint32_t n)
{
	if (n > WEFT_TOKEN_MAX_CHOICES || (n > 0 && !choices))
		return NULL;
	for (uint32_t i = 0; i < n; i++)
		if (choices[i].thread >= WEFT_MAX_THREADS ||
		    (i > 0 && choices[i].step <= choices[i - 1].step))
			return NULL;

	uint8_t *payload = malloc(VARINT_MAX_LEN + (size_t)n * CHOICE_MAX_LEN + CHECKSUM_LEN);
	if (!payload)
		return NULL;
	size_t len = put_varint(payload, n);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t gap = choices[i].step - (i > 0 ? choices[i - 1].step : 0);
		len += put_varint(payload + len, gap);
		len += put_varint(payload + len, choices[i].thread);
	}
	uint32_t sum = checksum(payload, len);
	for (unsigned k = 0; k < CHECKSUM_LEN; k++)
		payload[len++] = (uint8_t)(sum >> 8 * k);

	size_t text_len = PREFIX_LEN + base64url_length(len);
	char *text = malloc(text_len + 1);
	if (text) {
		memcpy(text, WEFT_TOKEN_PREFIX, PREFIX_LEN);
		base64url_encode(payload, len, text + PREFIX_LEN);
		text[text_len] = '\0';
	}
	free(payload);
	return text;
}

__attribute__((format(printf, 3, 4))) static bool refuse(char *err, size_t errlen,
                                                         const char *format, ...)
{
	if (err && errlen > 0) {
		va_list ap;
		va_start(ap, format);
		vsnprintf(err, errlen, format, ap);
		va_end(ap);
	}
	return false;
}

/* Only the whitespace a terminal or a mail client adds; isspace() would depend on the locale. */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Quotes the start of a string that is not a token, on one line whatever it holds. */
static void excerpt(const char *start, const char *end, char *buf)
{
	size_t len = (size_t)(end - start), i;
	for (i = 0; i < len && i < EXCERPT_LEN; i++) {
		unsigned char c = (unsigned char)start[i];
		buf[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	strcpy(buf + i, len > EXCERPT_LEN ? "..." : "");
}

static void describe_char(unsigned char c, char *buf, size_t size)
{
	if (c == ' ')
		snprintf(buf, size, "a space");
	else if (c == '\t')
		snprintf(buf, size, "a tab");
	else if (c == '\n' || c == '\r')
		snprintf(buf, size, "a line break");
	else if (c > 0x20 && c < 0x7f)
		snprintf(buf, size, "'%c'", c);
	else
		snprintf(buf, size, "byte 0x%02x", c);
}

static bool check_prefix(const char *start, const char *end, char *err, size_t errlen)
{
	size_t len = (size_t)(end - start);
	if (len >= PREFIX_LEN && memcmp(start, WEFT_TOKEN_PREFIX, PREFIX_LEN) == 0)
		return true;
	if (len == 0)
		return refuse(err, errlen,
		              "empty token: expected a token that starts with " WEFT_TOKEN_PREFIX);
	if (len > 4 && memcmp(start, "weft", 4) == 0) {
		const char *digits = start + 4, *p = digits;
		while (p < end && p - digits < 10 && *p >= '0' && *p <= '9')
			p++;
		if (p > digits && p < end && *p == ':')
			return refuse(err, errlen,
			              "this token was made by a different version of weft "
			              "(format %.*s); this weft reads format %d, so replay it with "
			              "the weft that printed it",
			              (int)(p - digits), digits, WEFT_TOKEN_FORMAT);
	}
	char quoted[EXCERPT_LEN + 4];
	excerpt(start, end, quoted);
	return refuse(err, errlen,
	              "not a weft token (\"%s\"): expected a token that starts "
	              "with " WEFT_TOKEN_PREFIX,
	              quoted);
}

/* Whether bytes whose checksum failed look cut short: the count they start with announces
 * more choices, or a longer checksum, than they hold. A damaged count can look the same,
 * which is why the message for a plain mismatch says "truncated" too. */
static bool announces_more_than_it_holds(const uint8_t *bytes, size_t len)
{
	struct reader r = {bytes, bytes + len};
	uint32_t count, value;
	enum varint_result result = read_varint(&r, &count);
	if (result != VARINT_OK)
		return result == VARINT_CUT;
	/* Ends: every pass consumes at least one byte or returns. */
	for (uint32_t i = 0; i < count; i++)
		for (int field = 0; field < 2; field++) {
			result = read_varint(&r, &value);
			if (result != VARINT_OK)
				return result == VARINT_CUT;
		}
	return (size_t)(r.end - r.at) < CHECKSUM_LEN;
}

/* Reads one number of a payload whose checksum matched, so a bad number means a weft that
 * writes bad tokens or a token made by hand. choice is 1-based, 0 for the count. */
static bool read_field(struct reader *r, uint32_t *value, const char *field, uint32_t choice,
                       char *err, size_t errlen)
{
	enum varint_result result = read_varint(r, value);
	if (result == VARINT_OK)
		return true;
	char name[64];
	if (choice == 0)
		snprintf(name, sizeof name, "the count of choices");
	else
		snprintf(name, sizeof name, "the %s of choice %u", field, choice);
	switch (result) {
	case VARINT_CUT:
		return refuse(err, errlen, "corrupted token: it ends inside %s", name);
	case VARINT_TOO_BIG:
		return refuse(err, errlen, "corrupted token: %s does not fit in 32 bits", name);
	default:
		return refuse(err, errlen,
		              "corrupted token: %s is not written in its shortest form", name);
	}
}

/* Reads the choices of a payload whose checksum matched. */
static bool parse_choices(const uint8_t *data, size_t len, struct weft_choice **out, uint32_t *n,
                          char *err, size_t errlen)
{
	struct reader r = {data, data + len};
	uint32_t count;
	if (!read_field(&r, &count, NULL, 0, err, errlen))
		return false;
	if (count > WEFT_TOKEN_MAX_CHOICES)
		return refuse(err, errlen,
		              "absurd token: it claims %u choices, more than the %u a token "
		              "may hold; it is not a token weft wrote",
		              count, WEFT_TOKEN_MAX_CHOICES);
	size_t room = (size_t)(r.end - r.at) / CHOICE_MIN_LEN;
	if (count > room)
		return refuse(err, errlen,
		              "absurd token: it claims %u choices but has room for at most %zu; "
		              "it is not a token weft wrote",
		              count, room);

	struct weft_choice *choices = malloc((count > 0 ? count : 1) * sizeof *choices);
	if (!choices)
		return refuse(err, errlen, "out of memory for a token of %u choices", count);
	uint64_t step = 0;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t gap, thread;
		if (!read_field(&r, &gap, "step", i + 1, err, errlen) ||
		    !read_field(&r, &thread, "thread", i + 1, err, errlen))
			goto fail;
		if (i > 0 && gap == 0) {
			refuse(err, errlen,
			       "choice %u of the token is at step %u, like the choice before it: "
			       "steps must strictly increase, so the token was not written by weft",
			       i + 1, (uint32_t)step);
			goto fail;
		}
		step += gap;
		if (step > UINT32_MAX) {
			refuse(err, errlen,
			       "choice %u of the token is at step %llu, past %u, the last "
			       "step weft numbers; the token was not written by weft",
			       i + 1, (unsigned long long)step, UINT32_MAX);
			goto fail;
		}
		if (thread >= WEFT_MAX_THREADS) {
			refuse(err, errlen,
			       "choice %u of the token runs thread %u, out of range: weft "
			       "runs at most %d threads (ids 0 to %d), so the token was not "
			       "written by weft",
			       i + 1, thread, WEFT_MAX_THREADS, WEFT_MAX_THREADS - 1);
			goto fail;
		}
		choices[i].step = (uint32_t)step;
		choices[i].thread = thread;
	}
	if (r.at != r.end) {
		size_t stray = (size_t)(r.end - r.at);
		refuse(err, errlen, "corrupted token: %zu stray byte%s after its last choice",
		       stray, stray == 1 ? "" : "s");
		goto fail;
	}
	*out = choices;
	*n = count;
	return true;
fail:
	free(choices);
	return false;
}

static bool decode_payload(const uint8_t *bytes, size_t len, bool stray_bits,
                           struct weft_choice **out, uint32_t *n, char *err, size_t errlen)
{
	if (len < 1 + CHECKSUM_LEN)
		return refuse(err, errlen,
		              "truncated token: too short to hold a schedule and its checksum; "
		              "copy the whole token");
	size_t data_len = len - CHECKSUM_LEN;
	uint32_t stored = 0;
	for (unsigned k = 0; k < CHECKSUM_LEN; k++)
		stored |= (uint32_t)bytes[data_len + k] << 8 * k;
	if (stored != checksum(bytes, data_len)) {
		if (announces_more_than_it_holds(bytes, len))
			return refuse(err, errlen,
			              "truncated token: it ends before the schedule it announces; "
			              "copy the whole token");
		return refuse(err, errlen,
		              "corrupted or truncated: checksum does not match; copy the whole "
		              "token again");
	}
	/* The bytes are intact, but accepting this spelling would give one schedule two tokens. */
	if (stray_bits)
		return refuse(err, errlen,
		              "corrupted token: its last character is not one weft writes there; "
		              "copy the whole token again");
	return parse_choices(bytes, data_len, out, n, err, errlen);
}

bool weft_token_decode(const char *text, struct weft_choice **out, uint32_t *n, char *err,
                       size_t errlen)
{
	if (err && errlen > 0)
		err[0] = '\0';
	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	if (!out || !n)
		return refuse(err, errlen,
		              "weft_token_decode was given nowhere to put the schedule");
	if (!text)
		return refuse(err, errlen,
		              "no token given: expected a token that starts "
		              "with " WEFT_TOKEN_PREFIX);

	const char *start = text, *end = text + strlen(text);
	while (start < end && is_space(*start))
		start++;
	while (end > start && is_space(end[-1]))
		end--;
	if (!check_prefix(start, end, err, errlen))
		return false;

	const char *body = start + PREFIX_LEN;
	size_t body_len = (size_t)(end - body);
	for (size_t i = 0; i < body_len; i++) {
		if (base64url_value((unsigned char)body[i]) >= 0)
			continue;
		char what[16];
		describe_char((unsigned char)body[i], what, sizeof what);
		return refuse(err, errlen,
		              "character %zu of the token is %s, which is not base64url: "
		              "after %s a token holds only A-Z a-z 0-9 - _; was it wrapped "
		              "or changed when copied?",
		              PREFIX_LEN + i + 1, what, WEFT_TOKEN_PREFIX);
	}
	if (body_len % 4 == 1)
		return refuse(err, errlen,
		              "truncated token: it ends partway through a byte; copy the "
		              "whole token");
	size_t len = body_len / 4 * 3 + (body_len % 4 > 0 ? body_len % 4 - 1 : 0);
	if (len > PAYLOAD_MAX_LEN)
		return refuse(err, errlen,
		              "absurd token: at %zu characters it is longer than a token of "
		              "%u choices, the most a token may hold; it is not a token weft "
		              "wrote",
		              PREFIX_LEN + body_len, WEFT_TOKEN_MAX_CHOICES);

	uint8_t *bytes = malloc(len > 0 ? len : 1);
	if (!bytes)
		return refuse(err, errlen, "out of memory for a token of %zu characters",
		              PREFIX_LEN + body_len);
	bool stray_bits = base64url_decode(body, body_len, bytes);
	bool ok = decode_payload(bytes, len, stray_bits, out, n, err, errlen);
	free(bytes);
	return ok;
}
