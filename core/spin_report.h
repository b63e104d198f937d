/* The headline of a livelock found in a spin-wait (interpose/spin.c): the
 * loop's source line and the spinning thread's stack, symbolised. */
#ifndef WEFT_SPIN_REPORT_H
#define WEFT_SPIN_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "protocol.h"

/* "T1 spins forever at spin.c:12 (worker): WHY; stack: spin.c:12 (worker)
 * <- ...", WHY being the runtime's message. False when the execution did
 * not end in a spin-wait livelock. */
bool weft_spin_describe(const struct weft_shm *shm, char *buf, size_t len);

#endif
