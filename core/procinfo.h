/* What /proc says about a target and the machine (procinfo.c), for the
 * executor's watchdog and its judgement of a SIGKILL. */
#ifndef WEFT_PROCINFO_H
#define WEFT_PROCINFO_H

#include <sys/types.h>

#include "protocol.h"

/* The kernel's count of processes its out-of-memory killer ended. */
unsigned long long weft_oom_kills(void);

/* The kernel id of the thread that runs now in target pid (from the
 * region, when pid is the process that claimed it), else pid. */
pid_t weft_running_tid(pid_t pid, const struct weft_shm *shm);

/* A thread's CPU time so far in ns (schedstat) and its state letter
 * (stat: 'R' runnable, 'S' sleeping in a call, ...; '?' unknown). */
unsigned long long weft_thread_cpu(pid_t pid, pid_t tid, char *state);

#endif
