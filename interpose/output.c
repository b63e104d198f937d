/* The program's standard output under weft goes to the file that also
 * receives its standard error, so a report shows both in the order they
 * were written. stdio buffers a file fully, and a process that aborts or
 * crashes never writes out what is buffered: the lines that tell what the
 * test was doing when it failed would be lost, and the rest would come out
 * of order with stderr (which is unbuffered). So stdout is made line
 * buffered, as it is on a terminal, before the program writes anything. */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Reads the environment given: with -z initfirst, environ is not set up
 * yet when constructors of the runtime run. */
static bool under_weft(char **envp)
{
	for (char **e = envp; e && *e; e++)
		if (strncmp(*e, "WEFT_SHM_FD=", 12) == 0)
			return true;
	return false;
}

__attribute__((constructor(102))) static void line_buffered_stdout(int argc, char **argv,
                                                                   char **envp)
{
	(void)argc;
	(void)argv;
	if (under_weft(envp) && !isatty(1))
		setvbuf(stdout, NULL, _IOLBF, BUFSIZ);
}
