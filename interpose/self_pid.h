/* This process's pid, read from the kernel once per process (self_pid.c). */
#ifndef WEFT_SELF_PID_H
#define WEFT_SELF_PID_H

#include <sys/types.h>

/* The pid of the calling process: after a fork (any fork: glibc's, a raw
 * clone without CLONE_VM), the child's own; in a vfork child, which shares
 * its parent's memory, the parent's. */
pid_t weft__pid(void);

#endif
