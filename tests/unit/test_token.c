/* Unit test of replay tokens (core/token.c): round trips, each refusal the decoder makes, and the
 * damage a token can take on its way through a terminal or a bug tracker. It builds payloads with
 * an encoder of its own, written independently of the one under test, both to cross-check the
 * format and to reach refusals weft never writes (a valid checksum over a bad schedule).
 *
 * Build and run from the project root:
 *	cc -std=c11 -Wall -Wextra -Icore core/token.c tests/unit/test_token.c -lxxhash && ./a.out
 * Expected: the last line is "test_token: N checks, 0 failed" and the exit status is 0. Each
 * failed check prints file:line, what was checked and both values, and the exit status is 1. */
#include "token.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

static unsigned long checks, failures;
static char context[160]; /* what the check belongs to, when it runs in a loop */

__attribute__((format(printf, 3, 4))) static void fail_at(const char *file, int line,
                                                          const char *format, ...)
{
	failures++;
	fprintf(stderr, "%s:%d: ", file, line);
	va_list ap;
	va_start(ap, format);
	vfprintf(stderr, format, ap);
	va_end(ap);
	if (context[0])
		fprintf(stderr, " (%s)", context);
	fputc('\n', stderr);
}

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		checks++;                                                                          \
		if (!(cond))                                                                       \
			fail_at(__FILE__, __LINE__, "CHECK(%s) failed", #cond);                    \
	} while (0)

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		unsigned long long a_ = (a), b_ = (b);                                             \
		checks++;                                                                          \
		if (a_ != b_)                                                                      \
			fail_at(__FILE__, __LINE__, "CHECK_EQ(%s, %s) failed: %llu != %llu", #a,   \
			        #b, a_, b_);                                                       \
	} while (0)

#define CHECK_STR_EQ(a, b)                                                                         \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		checks++;                                                                          \
		if (!a_ || !b_ || strcmp(a_, b_) != 0)                                             \
			fail_at(__FILE__, __LINE__,                                                \
			        "CHECK_STR_EQ(%s, %s) failed: \"%s\" != \"%s\"", #a, #b,           \
			        a_ ? a_ : "(null)", b_ ? b_ : "(null)");                           \
	} while (0)

#define CHECK_HAS(haystack, needle)                                                                \
	do {                                                                                       \
		const char *h_ = (haystack), *n_ = (needle);                                       \
		checks++;                                                                          \
		if (!strstr(h_, n_))                                                               \
			fail_at(__FILE__, __LINE__,                                                \
			        "CHECK_HAS(%s, %s) failed: \"%s\" lacks \"%s\"", #haystack,        \
			        #needle, h_, n_);                                                  \
	} while (0)

static uint64_t random_state = 0x5eed0f7e57ull;

static uint64_t next_random(void) /* splitmix64: fixed seed, same run every time */
{
	uint64_t z = (random_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static char *copy_string(const char *s, size_t len)
{
	char *copy = malloc(len + 1);
	if (!copy)
		abort();
	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

/* --- an independent encoder, which can also write what weft never does --- */

struct payload {
	uint8_t bytes[64];
	size_t len;
	uint8_t *big; /* for long schedules */
};

static uint8_t *payload_at(struct payload *p)
{
	return p->big ? p->big : p->bytes;
}

static void put_byte(struct payload *p, uint8_t byte)
{
	payload_at(p)[p->len++] = byte;
}

static void put_number(struct payload *p, uint64_t value) /* LEB128 of any width */
{
	do {
		uint8_t low = value & 0x7f;
		value >>= 7;
		put_byte(p, value ? low | 0x80 : low);
	} while (value);
}

/* Seals the payload with its checksum (xor damage, 0 for none) and writes it as a token. */
static char *seal(struct payload *p, uint32_t damage)
{
	uint32_t sum = (uint32_t)XXH3_64bits(payload_at(p), p->len) ^ damage;
	put_byte(p, sum & 0xff);
	put_byte(p, sum >> 8 & 0xff);
	put_byte(p, sum >> 16 & 0xff);
	put_byte(p, sum >> 24);

	static const char digits[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	const uint8_t *b = payload_at(p);
	char *text = malloc(6 + p->len / 3 * 4 + 4 + 1), *t = text;
	if (!text)
		abort();
	t += sprintf(t, "weft1:");
	size_t i = 0;
	for (; i + 3 <= p->len; i += 3) {
		uint32_t group = (uint32_t)b[i] << 16 | (uint32_t)b[i + 1] << 8 | b[i + 2];
		for (int k = 3; k >= 0; k--)
			*t++ = digits[group >> 6 * k & 63];
	}
	if (p->len - i == 1) {
		*t++ = digits[b[i] >> 2];
		*t++ = digits[(b[i] & 3) << 4];
	} else if (p->len - i == 2) {
		*t++ = digits[b[i] >> 2];
		*t++ = digits[(b[i] & 3) << 4 | b[i + 1] >> 4];
		*t++ = digits[(b[i + 1] & 15) << 2];
	}
	*t = '\0';
	free(p->big);
	return text;
}

static char *independent_token(const struct weft_choice *choices, uint32_t n)
{
	struct payload p = {.len = 0};
	p.big = malloc(16 + (size_t)n * 12);
	if (!p.big)
		abort();
	put_number(&p, n);
	for (uint32_t i = 0; i < n; i++) {
		put_number(&p, choices[i].step - (i > 0 ? choices[i - 1].step : 0));
		put_number(&p, choices[i].thread);
	}
	return seal(&p, 0);
}

/* --- what a decode must give --- */

static bool is_schedule(const struct weft_choice *choices, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (choices[i].thread >= WEFT_MAX_THREADS ||
		    (i > 0 && choices[i].step <= choices[i - 1].step))
			return false;
	return true;
}

#define expect_choices(text, want, n) expect_choices_at(__FILE__, __LINE__, text, want, n)
static void expect_choices_at(const char *file, int line, const char *text,
                              const struct weft_choice *want, uint32_t n)
{
	struct weft_choice *got;
	uint32_t got_n;
	char err[512];
	checks++;
	if (!weft_token_decode(text, &got, &got_n, err, sizeof err)) {
		fail_at(file, line, "decoding a good token failed: %s", err);
		return;
	}
	checks++;
	if (!got)
		fail_at(file, line, "decoding succeeded with a NULL array");
	checks++;
	if (got_n != n)
		fail_at(file, line, "decoded %u choices, want %u", got_n, n);
	for (uint32_t i = 0; got && i < n && i < got_n; i++) {
		checks++;
		if (got[i].step != want[i].step || got[i].thread != want[i].thread) {
			fail_at(file, line,
			        "choice %u decoded as (step %u, thread %u), want (%u, %u)", i,
			        got[i].step, got[i].thread, want[i].step, want[i].thread);
			break;
		}
	}
	free(got);
}

/* Decoding must fail, leave nothing behind and explain itself in one line holding needle. */
#define expect_refusal(text, needle) expect_refusal_at(__FILE__, __LINE__, text, needle)
static void expect_refusal_at(const char *file, int line, const char *text, const char *needle)
{
	static struct weft_choice sentinel;
	struct weft_choice *got = &sentinel; /* must be reset */
	uint32_t got_n = 12345;
	char err[512] = "untouched";
	checks++;
	if (weft_token_decode(text, &got, &got_n, err, sizeof err)) {
		fail_at(file, line, "\"%s\" decoded to %u choices, want a refusal holding \"%s\"",
		        text ? text : "(null)", got_n, needle);
		free(got);
		return;
	}
	checks++;
	if (got != NULL || got_n != 0)
		fail_at(file, line, "a refusal left out=%p n=%u, want NULL and 0", (void *)got,
		        got_n);
	checks++;
	if (!strstr(err, needle) || strchr(err, '\n') || !strcmp(err, "untouched"))
		fail_at(file, line, "refusal \"%s\" does not hold \"%s\" on one line", err, needle);
}

/* Damaged text must be refused with a one-line message or decode to the same schedule. */
static void expect_refused_or_same(const char *text, const struct weft_choice *want, uint32_t n)
{
	struct weft_choice *got;
	uint32_t got_n;
	char err[512] = "";
	checks++;
	if (weft_token_decode(text, &got, &got_n, err, sizeof err)) {
		bool same = got_n == n && (n == 0 || memcmp(got, want, n * sizeof *want) == 0);
		if (!same)
			fail_at(__FILE__, __LINE__,
			        "damaged token decoded to %u other choices (want %u)", got_n, n);
		free(got);
	} else if (err[0] == '\0' || strchr(err, '\n') || got || got_n) {
		fail_at(__FILE__, __LINE__, "bad refusal: message \"%s\", out %p, n %u", err,
		        (void *)got, got_n);
	}
}

static char *encode_checked(const struct weft_choice *choices, uint32_t n)
{
	char *token = weft_token_encode(choices, n);
	CHECK(token != NULL);
	if (!token)
		return copy_string("", 0);
	CHECK(strncmp(token, WEFT_TOKEN_PREFIX, strlen(WEFT_TOKEN_PREFIX)) == 0);
	char *other = independent_token(choices, n);
	CHECK_STR_EQ(token, other);
	free(other);
	return token;
}

static void round_trip(const struct weft_choice *choices, uint32_t n)
{
	char *token = encode_checked(choices, n);
	expect_choices(token, choices, n);

	size_t len = strlen(token);
	char *padded = malloc(len + 16);
	if (!padded)
		abort();
	sprintf(padded, " \t\r\n%s \n\r\t\v\f", token);
	expect_choices(padded, choices, n);
	free(padded);
	free(token);
}

/* --- the cases --- */

static struct weft_choice *random_schedule(uint32_t n)
{
	struct weft_choice *choices = malloc((n ? n : 1) * sizeof *choices);
	if (!choices)
		abort();
	uint32_t step = (uint32_t)(next_random() % 50);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t r = next_random();
		if (i > 0) {
			uint32_t kind = r % 100;
			step += kind < 70   ? 1 + (r >> 8) % 3
			        : kind < 95 ? 1 + (r >> 8) % 1000
			                    : 1 + (r >> 8) % (1u << 18);
		}
		choices[i].step = step;
		choices[i].thread = (uint32_t)(r >> 40) % WEFT_MAX_THREADS;
	}
	return choices;
}

static void test_round_trips(void)
{
	round_trip(NULL, 0);

	struct weft_choice one[][1] = {{{0, 0}}, {{7, 63}}, {{UINT32_MAX, 5}}};
	for (size_t i = 0; i < sizeof one / sizeof one[0]; i++)
		round_trip(one[i], 1);

	struct weft_choice *many = random_schedule(10000);
	CHECK(is_schedule(many, 10000));
	round_trip(many, 10000);
	free(many);

	/* Gaps at every varint length boundary, up to the largest step there is. */
	struct weft_choice gaps[] = {
	    {0, 1},           {1, 2},       {128, 3},       {256, 4},      {16639, 5},
	    {33023, 6},       {2130431, 7}, {270565887, 8}, {1u << 31, 9}, {UINT32_MAX - 1, 10},
	    {UINT32_MAX, 63},
	};
	round_trip(gaps, sizeof gaps / sizeof gaps[0]);
	struct weft_choice far[] = {{1u << 31, 0}, {UINT32_MAX, 1}};
	round_trip(far, 2);

	/* The format is pinned: a weft that changes it must bump the format number. */
	struct weft_choice golden[] = {{0, 1}, {1, 0}, {5, 2}, {300, 63}};
	char *token = encode_checked(golden, 4);
	CHECK_STR_EQ(token, "weft1:BAABAQAEAqcCPwb__v4");
	free(token);
	token = encode_checked(NULL, 0);
	CHECK_STR_EQ(token, "weft1:ANvsTgc");
	free(token);

	/* The most choices a token may hold, and one more. */
	uint32_t max = WEFT_TOKEN_MAX_CHOICES;
	struct weft_choice *huge = malloc(((size_t)max + 1) * sizeof *huge);
	if (!huge)
		abort();
	for (uint32_t i = 0; i <= max; i++)
		huge[i] = (struct weft_choice){i * 3, i % WEFT_MAX_THREADS};
	token = weft_token_encode(huge, max);
	CHECK(token != NULL);
	if (token)
		expect_choices(token, huge, max);
	free(token);
	CHECK(weft_token_encode(huge, max + 1) == NULL);
	free(huge);
}

static void test_encode_refusals(void)
{
	struct weft_choice same_step[] = {{4, 0}, {4, 1}};
	struct weft_choice backwards[] = {{4, 0}, {3, 1}};
	struct weft_choice thread_64[] = {{4, 64}};
	struct weft_choice thread_huge[] = {{0, 0}, {4, UINT32_MAX}};
	CHECK(weft_token_encode(same_step, 2) == NULL);
	CHECK(weft_token_encode(backwards, 2) == NULL);
	CHECK(weft_token_encode(thread_64, 1) == NULL);
	CHECK(weft_token_encode(thread_huge, 2) == NULL);
	CHECK(weft_token_encode(NULL, 1) == NULL);
}

/* Seals a payload of numbers (or of raw bytes) and expects the decoder to refuse it. */
static void refuse_payload_at(const char *file, int line, const uint64_t *values, size_t count,
                              bool as_bytes, uint32_t damage, const char *needle)
{
	struct payload p = {.len = 0};
	for (size_t i = 0; i < count; i++) {
		if (as_bytes)
			put_byte(&p, (uint8_t)values[i]);
		else
			put_number(&p, values[i]);
	}
	char *token = seal(&p, damage);
	expect_refusal_at(file, line, token, needle);
	free(token);
}

#define LIST(...)                                                                                  \
	(const uint64_t[])                                                                         \
	{                                                                                          \
		__VA_ARGS__                                                                        \
	}
#define LIST_LEN(...) (sizeof LIST(__VA_ARGS__) / sizeof(uint64_t))
#define REFUSE_NUMBERS(damage, needle, ...)                                                        \
	refuse_payload_at(__FILE__, __LINE__, LIST(__VA_ARGS__), LIST_LEN(__VA_ARGS__), false,     \
	                  damage, needle)
#define REFUSE_BYTES(needle, ...)                                                                  \
	refuse_payload_at(__FILE__, __LINE__, LIST(__VA_ARGS__), LIST_LEN(__VA_ARGS__), true, 0,   \
	                  needle)

static void test_decode_refusals(void)
{
	struct weft_choice sample[] = {{3, 1}, {4, 0}, {90, 2}, {100000, 5}};
	char *good = encode_checked(sample, 4);
	size_t good_len = strlen(good);
	char text[256];

	/* Not a weft token at all. */
	const char *foreign[] = {"",
	                         "  \n\t ",
	                         "hello",
	                         "weft:AAAAAAA",
	                         "WEFT1:AAAAAAA",
	                         "weft1",
	                         "weft1;AAAAAAA",
	                         "xweft1:ANvsTgc",
	                         "weft-1:AAAA",
	                         "weftx:",
	                         "weft12345678901:AAAA"};
	for (size_t i = 0; i < sizeof foreign / sizeof foreign[0]; i++) {
		snprintf(context, sizeof context, "foreign text \"%s\"", foreign[i]);
		expect_refusal(foreign[i], "expected a token that starts with weft1:");
	}
	context[0] = '\0';
	expect_refusal(NULL, "expected a token that starts with weft1:");
	expect_refusal("line one\nline two, longer than the excerpt that is quoted",
	               "(\"line one?line two, longe...\")");

	/* A token of another format. */
	expect_refusal("weft2:BAABAQAEAqcCPwb__v4",
	               "this token was made by a different version of weft (format 2); "
	               "this weft reads format 1");
	expect_refusal("  weft10:anything at all\n", "(format 10)");
	expect_refusal("weft0:", "(format 0)");

	/* Characters outside base64url, with the position of the first. */
	const char bad[] = {'+', '/', '=', '.', '*', ' ', '\n', '\t', '"', '\x7f', '\x80', '\xff'};
	for (size_t i = 0; i < sizeof bad; i++) {
		snprintf(context, sizeof context, "byte 0x%02x", (unsigned char)bad[i]);
		snprintf(text, sizeof text, "%s", good);
		text[9] = bad[i];
		expect_refusal(text, "character 10 of the token is");
		expect_refusal(text, "not base64url");
	}
	context[0] = '\0';
	snprintf(text, sizeof text, "%s==", good);
	expect_refusal(text, "'='");
	snprintf(text, sizeof text, "%.*s\n%s", 12, good, good + 12);
	expect_refusal(text, "character 13 of the token is a line break");

	/* Truncated: inside the choices, inside the checksum, mid-byte, nothing left. */
	const size_t cuts[] = {6, 7, 9, 12, good_len - 1, good_len - 2, good_len - 3};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		snprintf(context, sizeof context, "cut to %zu characters", cuts[i]);
		snprintf(text, sizeof text, "%.*s", (int)cuts[i], good);
		expect_refusal(text, "truncated token");
	}
	context[0] = '\0';

	/* A checksum that does not match: a wrong one, or damage inside it. */
	REFUSE_NUMBERS(1, "corrupted or truncated: checksum does not match", 2, 3, 1, 1, 0);
	REFUSE_NUMBERS(0x80000000u, "corrupted or truncated: checksum does not match", 2, 3, 1, 1,
	               0);
	snprintf(text, sizeof text, "%s", good);
	text[good_len - 3] = text[good_len - 3] == 'A' ? 'B' : 'A';
	expect_refusal(text, "corrupted or truncated: checksum does not match");

	/* Steps that do not increase, or run past the last one. */
	REFUSE_NUMBERS(0, "steps must strictly increase", 2, 5, 0, 0, 1);
	REFUSE_NUMBERS(0, "past 4294967295", 2, UINT32_MAX, 0, 1, 1);

	/* Thread ids that weft cannot have. */
	REFUSE_NUMBERS(0, "runs thread 64, out of range", 1, 0, 64);
	REFUSE_NUMBERS(0, "choice 2 of the token runs thread 4294967295, out of range", 2, 0, 63, 1,
	               UINT32_MAX);

	/* Absurd counts: past the bound, past what the payload can hold. */
	REFUSE_NUMBERS(0, "absurd token: it claims 10000001 choices, more than the 10000000",
	               WEFT_TOKEN_MAX_CHOICES + 1);
	REFUSE_NUMBERS(0, "absurd token", UINT32_MAX);
	REFUSE_NUMBERS(0, "absurd token: it claims 1000 choices but has room for at most 1", 1000,
	               1, 1);
	REFUSE_NUMBERS(0, "absurd token: it claims 2 choices but has room for at most 1", 2, 1, 1,
	               1);

	/* Numbers a weft never writes, and bytes after the schedule. */
	REFUSE_NUMBERS(0, "the step of choice 1 does not fit in 32 bits", 1, 1ull << 32, 0);
	REFUSE_BYTES("the count of choices does not fit in 32 bits", 0x80, 0x80, 0x80, 0x80, 0x80,
	             0x80, 0);
	REFUSE_BYTES("the count of choices is not written in its shortest form", 0x81, 0x00);
	REFUSE_BYTES("the thread of choice 1 is not written in its shortest form", 1, 9, 0x85, 0);
	REFUSE_BYTES("it ends inside the step of choice 1", 1, 0x80, 0x80);
	REFUSE_NUMBERS(0, "1 stray byte after its last choice", 1, 0, 0, 7);
	REFUSE_NUMBERS(0, "2 stray bytes after its last choice", 0, 0, 0);

	/* The empty schedule's 5 bytes leave 2 unused bits in the last character. Set, the bytes
	 * are intact but the spelling is not weft's. */
	char *empty = encode_checked(NULL, 0);
	char *last = empty + strlen(empty) - 1;
	*last = (char)(*last == 'A' ? 'B' : *last + 1);
	expect_refusal(empty, "its last character is not one weft writes");
	free(empty);

	/* Where the message goes: nowhere, or somewhere too small. */
	struct weft_choice *got;
	uint32_t got_n;
	char small[8] = "XXXXXXX";
	CHECK(!weft_token_decode("nope", &got, &got_n, NULL, 100));
	CHECK(!weft_token_decode("nope", &got, &got_n, small, 0));
	CHECK_STR_EQ(small, "XXXXXXX");
	CHECK(!weft_token_decode("nope", &got, &got_n, small, sizeof small));
	CHECK_EQ(strlen(small), sizeof small - 1);
	CHECK(!weft_token_decode(good, NULL, &got_n, small, sizeof small));
	CHECK(!weft_token_decode(good, &got, NULL, small, sizeof small));
	free(good);
}

/* Every single-character substitution, deletion and insertion of a token: refused or the same
 * schedule, never a crash and never another schedule. */
static void test_every_single_damage(const struct weft_choice *choices, uint32_t n)
{
	char *good = encode_checked(choices, n);
	size_t len = strlen(good);
	char *text = malloc(len + 2);
	if (!text)
		abort();
	for (size_t pos = 0; pos <= len; pos++) {
		for (int c = 0; c < 256; c++) {
			snprintf(context, sizeof context, "character %zu of %s: byte 0x%02x", pos,
			         good, c);
			if (pos < len && c != (unsigned char)good[pos]) {
				memcpy(text, good, len + 1);
				text[pos] = (char)c;
				expect_refused_or_same(text, choices, n);
			}
			memcpy(text, good, pos);
			text[pos] = (char)c;
			memcpy(text + pos + 1, good + pos, len - pos + 1);
			expect_refused_or_same(text, choices, n);
		}
		if (pos < len) {
			memcpy(text, good, pos);
			memcpy(text + pos, good + pos + 1, len - pos);
			expect_refused_or_same(text, choices, n);
		}
	}
	context[0] = '\0';
	free(text);
	free(good);
}

/* Every strict prefix of a token is refused, as a token cut short once it holds "weft1:". */
static void test_every_truncation(const struct weft_choice *choices, uint32_t n)
{
	char *good = encode_checked(choices, n);
	size_t len = strlen(good);
	for (size_t cut = 0; cut < len; cut++) {
		snprintf(context, sizeof context, "%zu of %zu characters of a %u-choice token", cut,
		         len, n);
		char *text = copy_string(good, cut);
		expect_refusal(text, cut < 6 ? "starts with weft1:" : "truncated token");
		free(text);
	}
	context[0] = '\0';
	free(good);
}

/* Several random edits at once, and random text: whatever decodes must be a schedule. With a
 * 32-bit checksum one damaged token in four billion would pass; this seed has none. */
static void test_random_damage(const struct weft_choice *choices, uint32_t n)
{
	static const char pool[] = "weft1:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                           "0123456789-_+/= \n\t\x01\xff";
	char *good = encode_checked(choices, n);
	size_t len = strlen(good);
	char text[512];
	for (int round = 0; round < 200000; round++) {
		snprintf(context, sizeof context, "random damage round %d", round);
		size_t text_len = len;
		memcpy(text, good, len + 1);
		int edits = 1 + (int)(next_random() % 4);
		for (int e = 0; e < edits; e++) {
			uint64_t r = next_random();
			size_t pos = (r >> 8) % (text_len + 1);
			char c = (char)(r >> 40);
			if (r % 3 == 0 && pos < text_len) {
				text[pos] = c ? c : 'A';
			} else if (r % 3 == 1 && pos < text_len) {
				memmove(text + pos, text + pos + 1, text_len - pos);
				text_len--;
			} else if (text_len + 1 < sizeof text) {
				memmove(text + pos + 1, text + pos, text_len - pos + 1);
				text[pos] = c ? c : 'A';
				text_len++;
			}
		}
		expect_refused_or_same(text, choices, n);
	}
	for (int round = 0; round < 100000; round++) {
		snprintf(context, sizeof context, "random text round %d", round);
		size_t text_len = 0;
		if (round % 2)
			text_len = (size_t)sprintf(text, "weft1:");
		size_t extra = next_random() % 40;
		for (size_t i = 0; i < extra; i++)
			text[text_len++] = pool[next_random() % (sizeof pool - 1)];
		text[text_len] = '\0';
		struct weft_choice *got;
		uint32_t got_n;
		char err[512];
		if (weft_token_decode(text, &got, &got_n, err, sizeof err)) {
			CHECK(is_schedule(got, got_n));
			free(got);
		}
	}
	context[0] = '\0';
	free(good);
}

int main(void)
{
	test_round_trips();
	test_encode_refusals();
	test_decode_refusals();

	struct weft_choice sample[] = {
	    {0, 0}, {1, 1}, {2, 0}, {9, 63}, {130, 2}, {20000, 3}, {1u << 30, 7},
	};
	uint32_t nsample = sizeof sample / sizeof sample[0];
	test_every_single_damage(sample, nsample);
	test_every_single_damage(NULL, 0);
	test_every_truncation(sample, nsample);
	test_every_truncation(NULL, 0);
	struct weft_choice *longer = random_schedule(300);
	test_every_truncation(longer, 300);
	free(longer);
	test_random_damage(sample, nsample);

	printf("test_token: %lu checks, %lu failed\n", checks, failures);
	return failures != 0;
}
