/* Names of system call numbers, for reports about threads stuck in one. */
#ifndef WEFT_SYSCALL_NAMES_H
#define WEFT_SYSCALL_NAMES_H

/* The name of system call `nr`, or NULL when it is not in the table. */
const char *weft_syscall_name(long nr);

#endif
