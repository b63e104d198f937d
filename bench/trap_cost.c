/* The cost of an atomic instruction that weft traps (interpose/atomic_trap.c)
 * next to an ordinary scheduling point (sched_yield, which weft models)
 * and a plain function call, measured in one run. Run it through
 * bench/trap_cost.sh, which runs it without weft, under `weft run` with
 * trapping off (WEFT_TRAP_ATOMICS=0: the instruction runs natively while
 * sched_yield is a scheduling point) and under `weft run` with trapping on:
 * then each `lock cmpxchg` costs one SIGTRAP, one scheduling point with
 * its event recorded and the out-of-line copy, and each `lock xadd` a
 * second SIGTRAP (after it ran, in the trampoline, to see whether it
 * changed the location).
 *
 * usage: trap_cost [OPERATIONS]   prints ns per operation for each kind.
 * It reads the time with the raw system call: under weft, clock_gettime is
 * virtual. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int counter;

static double per_atomic(long n)
{
	double t = now_ns();
	for (long i = 0; i < n; i++) {
		int one = 1;
		__asm__ volatile("lock xaddl %0, %1" : "+r"(one), "+m"(counter) : : "memory");
	}
	return (now_ns() - t) / (double)n;
}

static long word;

static double per_cas(long n)
{
	double t = now_ns();
	for (long i = 0; i < n; i++) {
		long expected = i;
		__asm__ volatile("lock cmpxchgq %2, %1"
		                 : "+a"(expected), "+m"(word)
		                 : "r"(i + 1)
		                 : "memory", "cc");
	}
	return (now_ns() - t) / (double)n;
}

static double per_yield(long n)
{
	double t = now_ns();
	for (long i = 0; i < n; i++)
		sched_yield();
	return (now_ns() - t) / (double)n;
}

__attribute__((noinline)) static int plain(int x)
{
	__asm__ volatile("" : : : "memory");
	return x + 1;
}

static double per_call(long n)
{
	volatile int x = 0;
	double t = now_ns();
	for (long i = 0; i < n; i++)
		x = plain(x);
	return (now_ns() - t) / (double)n;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;
	sched_yield(); /* under weft: take control before timing anything */
	double call = per_call(n), yield = per_yield(n), cas = per_cas(n), atomic = per_atomic(n);
	printf("%-40s %10.1f ns\n", "plain function call", call);
	printf("%-40s %10.1f ns\n", "sched_yield (a scheduling point under weft)", yield);
	printf("%-40s %10.1f ns   %.2fx sched_yield\n", "lock cmpxchg (one trap)", cas,
	       cas / yield);
	printf("%-40s %10.1f ns   %.2fx sched_yield\n", "lock xadd (two traps)", atomic,
	       atomic / yield);
	return counter == n && word == n ? 0 : 1;
}
