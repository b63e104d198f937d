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

#endif
