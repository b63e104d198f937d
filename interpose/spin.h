/* Spin-waits on plain memory (spin.c, spin_tsan.c) and the progress
 * that tells a long run from a livelock (progress.c).
 *
 * A thread that waits for another by re-reading plain memory makes no call
 * weft sees; while it holds the turn the thread it waits for never runs.
 * The runtime therefore interrupts a thread that has made no visible step
 * for a few milliseconds of its own CPU time, with one real-time signal
 * reserved for weft, and its handler turns the interrupted instruction into
 * a scheduling point (the operation `spin`) when the thread's registers and
 * stack show it going round a loop. Builds with -fsanitize=thread need no
 * signal: re-reading a location nobody wrote since is the sign itself. */
#ifndef WEFT_SPIN_H
#define WEFT_SPIN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "runtime.h"

/* The one signal weft reserves for itself in a target: per-thread CPU-time
 * timers deliver it to the thread they watch. A program's own use of this
 * number is not supported (README, "Spin-waits"). */
#define WEFT_SPIN_SIGNAL (SIGRTMIN + 8)

/* CPU time a thread may run without a visible step before it is sampled
 * as a possible spinner (the kernel rounds it up to its tick, 4 ms at
 * HZ=250). WEFT_SPIN_QUANTUM_MS in the environment overrides it; 0 turns
 * spin preemption off. */
#define WEFT_SPIN_QUANTUM_NS 2000000ll
/* Once suspected, the thread is sampled this often (real time) until its
 * state repeats or it makes a step, at most WEFT_SPIN_FAST_SAMPLES times
 * per quantum (a real-time timer may interrupt a system call: few of them). */
#define WEFT_SPIN_SAMPLE_NS 200000ll
#define WEFT_SPIN_FAST_SAMPLES 64
/* CPU time the thread must run between two samples for both to count. */
#define WEFT_SPIN_MIN_RUN_NS 50000ll
/* A loop whose state never repeats exactly (it counts) is preempted after
 * this much CPU time without a step, if another thread can run. */
#define WEFT_SPIN_FALLBACK_NS 50000000ll
/* With nobody else able to run, this many repeated states make a livelock. */
#define WEFT_SPIN_LONELY_REPEATS 3
/* Preempted spins in a row with no progress anywhere in between: then weft
 * stops with an error (a limit of its own), as it cannot tell threads that
 * spin on each other forever from a long hand-off through plain memory.
 * WEFT_SPIN_ROUNDS in the environment raises it. */
#define WEFT_SPIN_ROUNDS_LIMIT 256u

/* -fsanitize=thread builds: this many reads of one location by a thread
 * that neither made a step nor wrote the location since make a spin. */
#define WEFT_SPIN_REREADS 4096

/* Consecutive steps without progress (yields, failed trylocks, unchanged
 * atomic loads, spins, the clock standing still) that make a livelock. */
#define WEFT_IDLE_STEPS_LIMIT 100000u

/* At claim: install the signal handler and learn the program's own code. */
void weft__spin_install(void);
/* A controlled thread starts running (its own kernel thread) or ends. */
void weft__spin_thread_start(struct weft_thread *t);
void weft__spin_thread_end(struct weft_thread *t);

/* Whether a thread other than `me` can run now or later without `me`
 * (enabled, or waiting for a deadline). */
bool weft__spin_others_can_run(const struct weft_thread *me);
/* The thread spins at pc (a return address or instruction + 1): give way. */
void weft__spin_yield(struct weft_thread *me, uintptr_t pc);

/* -fsanitize=thread builds: a plain access by a controlled thread. */
void weft__spin_access(uintptr_t addr, bool is_write, uintptr_t pc);

/* The execution ends and its process is restored in place: delete the
 * kernel timers it made. */
void weft__spin_execution_end(void);
/* Before a resident process takes its snapshot (fibers): install the
 * handler and make the kernel thread's timers once, unarmed. */
void weft__spin_prepare_process(void);

/* In a process forked at the first branch point (snapshot.c), with
 * fibers: the kernel thread's timers were the first execution's, which a
 * fork does not inherit; make this process's own and hand them to the
 * watch of the threads already there. `in_place`: the process restores
 * itself to this point, and the timers are part of its snapshot. */
void weft__spin_branch_child(bool in_place);

/* progress.c: called by the scheduler before it records step `step`;
 * ends the execution with a livelock after too many idle steps. */
void weft__progress_note(uint32_t step);
/* The step bound (--max-steps) was reached: a limit of weft's, exit 2. */
_Noreturn void weft__progress_step_limit(void);

#endif
