/* libspin: a hand-written test-and-set spin lock and a pause for spin-wait
 * loops, the kind of custom synchronisation weft cannot see unless told
 * (--yield-at). */
#ifndef SPIN_H
#define SPIN_H

void spin_lock(int *lock);
void spin_unlock(int *lock);
/* Never called by the examples: weft must refuse to wrap it. */
int spin_trylock(int *lock);
/* Called in a spin-wait loop; does nothing weft can see. */
void spin_pause(void);

/* A condition variable for the spin lock: a wait releases the lock, spins
 * until a signal or broadcast moves the sequence number, and retakes it. */
struct spin_cond {
	int seq;
};
int spin_cond_wait(struct spin_cond *c, int *lock);
void spin_cond_signal(struct spin_cond *c);
void spin_cond_broadcast(struct spin_cond *c);

#endif
