/* Raw clone system calls made through syscall() (raw_clone.c). */
#ifndef WEFT_RAW_CLONE_H
#define WEFT_RAW_CLONE_H

#include <stdbool.h>

#include "runtime.h"

/* Whether syscall(number, ...) makes a process or a thread. */
bool weft__raw_clone_number(long number);

/* Make it: a child with its own memory runs outside weft as fork()'s
 * children do; one that shares the memory stops the execution (exit 2).
 * Returns what the system call returns (-1 with errno on failure). */
long weft__raw_clone(long number, const long a[6]);

#endif
