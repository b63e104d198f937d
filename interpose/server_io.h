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

#include "../core/protocol.h"

bool weft__read_all(int fd, void *buf, size_t len);
bool weft__read_word(int fd, int32_t *w);
bool weft__write_word(int fd, int32_t w);

/* Waits for the explorer's next request (enum weft_request_word): takes
 * one posted in the region, or, after watching the word for a while when
 * `spin` (the explorer has a CPU of its own), reads the control pipe.
 * Without a region, the pipe alone. False when the explorer is gone. */
bool weft__await_request(int control, struct weft_shm *region, bool spin);

/* Answers an execution's wait status (enum weft_answer_word): posted in
 * the region when `post` and the explorer still watches it, else written
 * on the status pipe. False when the explorer is gone. */
bool weft__send_answer(int status_fd, struct weft_shm *region, bool post, int32_t status);

/* Child pid ended (or is ending): end its process group before reaping it,
 * so that the pid (the group's id) is not reused meanwhile; its wait
 * status. */
int weft__reap_group(pid_t pid);

/* Whether the process has a child (exited or not), without reaping it. */
bool weft__has_children(void);

#endif
