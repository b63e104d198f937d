/* What the fork server (forkserver.c), its snapshot process (snapshot.c)
 * and a resident execution (resident.c) share to talk with the explorer
 * and to end their children (server_io.c). Words are native-endian 32-bit
 * integers on pipes. */
#ifndef WEFT_SERVER_IO_H
#define WEFT_SERVER_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

bool weft__read_all(int fd, void *buf, size_t len);
bool weft__read_word(int fd, int32_t *w);
bool weft__write_word(int fd, int32_t w);

/* Child pid ended (or is ending): end its process group before reaping it,
 * so that the pid (the group's id) is not reused meanwhile; its wait
 * status. */
int weft__reap_group(pid_t pid);

/* Whether the process has a child (exited or not), without reaping it. */
bool weft__has_children(void);

#endif
