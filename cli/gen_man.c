/* Writes the weft(1) man page on stdout, from the same option table as
 * --help (options.def), so the two cannot drift apart. Run by the build. */
#include <stdio.h>

static void roff(const char *s)
{
	/* Escape what troff would take as commands or escapes. */
	if (*s == '.' || *s == '\'')
		fputs("\\&", stdout);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", stdout);
		else if (*s == '-')
			fputs("\\-", stdout);
		else
			putchar(*s);
	}
}

int main(void)
{
	puts(".TH WEFT 1 \"\" \"weft\" \"User Commands\"");
	puts(".SH NAME\nweft \\- explore the thread interleavings of a program and replay its bugs");
	puts(".SH SYNOPSIS\n.B weft run\n[\\fIoptions\\fR] \\-\\- \\fIPROGRAM\\fR [\\fIARGS\\fR...]\n.br");
	puts(".B weft replay\n[\\fIoptions\\fR] \\fITOKEN\\fR \\-\\- \\fIPROGRAM\\fR [\\fIARGS\\fR...]");
	puts(".SH DESCRIPTION\n"
	     "weft runs a dynamically linked program that uses POSIX threads with its runtime\n"
	     "preloaded, runs the program's threads one at a time and re-runs the program over\n"
	     "the interleavings of their synchronisation calls. It reports assertion failures,\n"
	     "crashes, non-zero exits, deadlocks, threads leaked blocked at exit, API misuse,\n"
	     "livelocks and hangs, each with the interleaving step by step and a token that\n"
	     "replays it with \\fBweft replay\\fR.");
	puts(".SH OPTIONS");
#define X(id, name, arg, help)                   \
	puts(".TP");                               \
	fputs("\\fB\\-\\-", stdout);               \
	roff(name);                                \
	fputs("\\fR", stdout);                     \
	if (arg) {                                 \
		fputs(" \\fI", stdout);              \
		roff(arg);                           \
		fputs("\\fR", stdout);               \
	}                                          \
	putchar('\n');                             \
	roff(help);                                \
	putchar('\n');
#include "options.def"
#undef X
	puts(".SH EXIT STATUS\n0: no bug found.\n1: a bug was found (or replayed).\n"
	     "2: usage or input error: unknown option, malformed token, missing or statically\n"
	     "linked program, a call weft cannot model.");
	puts(".SH ENVIRONMENT\n.TP\n.B WEFT_RUNTIME\nthe libweft.so to preload, as \\fB\\-\\-runtime\\fR.");
	puts(".SH EXAMPLE\n.nf\nweft run \\-\\- ./my_test\nweft replay weft1:BgEB... \\-\\- ./my_test\n.fi");
	return 0;
}
