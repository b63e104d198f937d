/* Process state outside memory that the program may change in an
 * execution and a restore in place puts back (restore.c): the working
 * directory and the file mode mask. The interceptors only note the change,
 * so that a restore pays for it only when it happened. */
#define _GNU_SOURCE
#include "real.h"
#include "restore.h"

int chdir(const char *path)
{
	weft__real_init();
	weft__restore_note_cwd();
	return weft__real.chdir(path);
}

int fchdir(int fd)
{
	weft__real_init();
	weft__restore_note_cwd();
	return weft__real.fchdir(fd);
}

mode_t umask(mode_t mask)
{
	weft__real_init();
	weft__restore_note_umask();
	return weft__real.umask(mask);
}
