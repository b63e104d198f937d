/* libworker: the workers of host.c, calling back into the program. */
#ifndef WORKER_H
#define WORKER_H

struct shared {
	int lock;
	int counter;
};

/* Defined by the program that loads the library. */
void host_lock(int *lock);
void host_unlock(int *lock);

/* A thread's start routine; arg is a struct shared. */
void *worker_run(void *arg);

#endif
