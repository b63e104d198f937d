/* SIGINT and SIGTERM sent to the weft command end a run promptly and in
 * order: the running execution is killed, the summary says the run was
 * interrupted, reports are written and the exit status is 128 + the signal,
 * as shells expect. Only the command installs the handlers; weft_check in a
 * test process leaves the process's signals alone. */
#ifndef WEFT_INTERRUPT_H
#define WEFT_INTERRUPT_H

/* Catch SIGINT and SIGTERM (without SA_RESTART, so waits wake up). */
void weft_interrupt_install(void);

/* The signal that interrupted the run, or 0. */
int weft_interrupted(void);

#endif
