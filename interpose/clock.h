/* The virtual clock of one execution. Every clock the program can read is
 * derived from one counter, weft__rt.now: virtual nanoseconds since the
 * start of the execution. Nothing but the scheduler moves it forward (when
 * every thread that can run waits for a deadline), apart from the spin rule
 * below, so an execution reads the same times whenever it follows the same
 * schedule.
 *
 * Clocks at now == 0:
 *   CLOCK_REALTIME (and _COARSE, _ALARM)    --time-start, else WEFT_TIME_EPOCH_NS
 *                                           (2000-01-01T00:00:00Z)
 *   CLOCK_TAI                               CLOCK_REALTIME + 37 s
 *   CLOCK_MONOTONIC (_RAW, _COARSE),
 *   CLOCK_BOOTTIME (_ALARM)                 WEFT_MONOTONIC_START_NS (1000 s)
 *   CPU-time clocks, clock()                0: the process "ran" all along
 * All of them advance together. */
#ifndef WEFT_CLOCK_H
#define WEFT_CLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "runtime.h"

#define WEFT_NS_PER_SEC 1000000000ll
#define WEFT_MONOTONIC_START_NS (1000ll * WEFT_NS_PER_SEC)
#define WEFT_TAI_OFFSET_NS (37ll * WEFT_NS_PER_SEC)

/* A loop that waits for the clock to pass some value makes no scheduling
 * point, so nothing would ever advance the clock it reads. Every
 * WEFT_CLOCK_SPIN_READS reads in a row without a scheduling point advance
 * the clock by WEFT_CLOCK_SPIN_STEP_NS (so such a loop sees about 1 us per
 * read), deterministically. */
#define WEFT_CLOCK_SPIN_READS 1000
#define WEFT_CLOCK_SPIN_STEP_NS 1000000ll

/* Deadlines further than this from the start (about 146 years) are clamped:
 * the arithmetic of every clock stays within 64 bits. */
#define WEFT_DEADLINE_MAX_NS (1ll << 62)

/* Reads the exchange region's time options into the runtime. */
void weft__clock_attach(const struct weft_shm *shm);

/* A clock read by the program: fills *ts and returns true when clock c is
 * virtual; false for clocks weft does not know (the caller asks the kernel). */
bool weft__clock_read(clockid_t c, struct timespec *ts);

/* 0 when clock_nanosleep can sleep on clock c, else the error it returns. */
int weft__clock_sleepable(clockid_t c);

/* Whether tv_nsec is within [0, 1e9). */
bool weft__timespec_valid(const struct timespec *ts);

/* The deadline (virtual ns since the start) of an absolute time on clock c,
 * clamped to [0, WEFT_DEADLINE_MAX_NS]. Returns false when c is not a clock
 * a deadline can be measured on. */
bool weft__deadline_at(clockid_t c, const struct timespec *abs, uint64_t *deadline);

/* The deadline of a wait that lasts rel from now (rel valid, not negative). */
uint64_t weft__deadline_after(const struct timespec *rel);
uint64_t weft__deadline_after_ns(uint64_t ns);

/* The calling thread sleeps until its deadline: a scheduling point that is
 * enabled once the clock reaches it. True when a timer's signal interrupted
 * the sleep (its handler ran): the caller returns EINTR and the time left. */
bool weft__sleep_until(uint64_t deadline, uintptr_t pc);

/* The time left until deadline (zero once it has passed). */
void weft__clock_left(uint64_t deadline, struct timespec *left);

/* Arm or disarm the calling thread's deadline around a timed wait. */
void weft__deadline_arm(uint64_t deadline);
void weft__deadline_disarm(void);

#endif
