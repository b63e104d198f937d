/* Restoring the process in place (restore.c, restore_maps.c): with every
 * program thread a fiber, an execution is one kernel thread, and its whole
 * state is memory plus a few kernel objects. At a snapshot point the
 * engine copies the process's writable private memory and write-protects
 * it with userfaultfd in asynchronous mode (a first write only marks the
 * page); when the execution ends, one PAGEMAP_SCAN finds the pages it
 * wrote, which are copied back, and the heap break, the mappings, the file
 * descriptors, the signal dispositions and mask are put back as they were.
 * The process then resumes at the snapshot point, as if it had just got
 * there: the next execution runs without a fork.
 *
 * Whatever the engine cannot put back (a child process, a closed
 * descriptor of the snapshot, a changed working directory, a mapping of
 * the snapshot that went away) makes the process end instead, and the fork
 * server starts the next execution from a fork as before. */
#ifndef WEFT_RESTORE_H
#define WEFT_RESTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Take the snapshot here. Returns 0 when taken (the first time), the number
 * of restores so far each time the process resumes here after
 * weft__restore_back, and -1 when no snapshot could be taken (the reason
 * is in weft__restore_why_not()). Only in a process with one kernel
 * thread. `scratch` lists memory whose content at the snapshot nobody
 * reads (pooled fiber stacks): it is not tracked. `zeroed` lists memory
 * that reads as zeroes at the snapshot and is only ever handed out in
 * order (the race detector's reservation): not tracked either, but given
 * back to the kernel at every restore, which costs next to nothing where
 * the execution did not write. */
int weft__restore_take(void (*scratch)(void (*each)(uintptr_t lo, size_t size)),
                       void (*zeroed)(void (*each)(uintptr_t lo, size_t size)));

/* Put the process back as it was at the snapshot and resume there. Returns
 * (false) only when it cannot: the caller then ends the process. */
bool weft__restore_back(void);

/* fn(why) is called when a restore fails past the point where the
 * process could go on as it is (it ends right after); and, with a reason
 * and then with "", around a step that ends the process by a fault if
 * the execution unmapped memory weft does not check first. */
void weft__restore_on_lost(void (*fn)(const char *why));

/* Why no snapshot was taken, or why the last restore was refused. */
const char *weft__restore_why_not(void);

/* The execution changed something the engine does not put back: the next
 * weft__restore_back refuses (`why` is a static string). */
void weft__restore_taint(const char *why);

/* The program changed a signal disposition: put them all back. */
void weft__restore_note_sigaction(void);

/* The program changed its working directory or its file mode mask: put
 * them back too. */
void weft__restore_note_cwd(void);
void weft__restore_note_umask(void);

/* Move descriptor fd of weft's own where the program's descriptors do not
 * go (the top of the first 1024); returns its new number, or fd. */
int weft__restore_high_fd(int fd);

/* Whether a snapshot is held (this process restores in place). */
bool weft__restore_active(void);

#endif
