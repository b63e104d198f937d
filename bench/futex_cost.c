/* The cost of a modelled raw futex against a modelled mutex, measured in
 * one run. Run it through bench/futex_cost.sh, which runs it once without
 * weft (the kernel's futex and glibc's locks) and once under `weft run`
 * (one execution), where every futex call, every lock and unlock and
 * every condition wait and signal is a scheduling point with its event
 * recorded.
 *
 *   lock/unlock          one thread locks and unlocks a mutex: the yardstick
 *   futex wake/wait      one thread wakes a word nobody waits on, then waits
 *                        on it with a stale value (EAGAIN): two scheduling
 *                        points, as lock/unlock, through syscall() and the
 *                        futex model
 *   cond ping-pong       two threads hand a turn back and forth with a mutex
 *                        and a condition variable (per round: two hand-offs)
 *   futex ping-pong      the same through a futex word: two waits that block
 *                        and two wakes per round
 *
 * Each pair of measures alternates in blocks, and each reports its fastest
 * block, so that first-touch page faults of weft's trace and the drift of
 * a shared machine weigh alike on both sides of a ratio.
 *
 * usage: futex_cost [ITERATIONS]   prints ns per iteration of each. The
 * time is read with the raw system call: under weft clock_gettime is
 * virtual. */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BLOCKS 10

static double now_ns(void)
{
	struct timespec ts;
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static long futex(uint32_t *word, int op, uint32_t val)
{
	return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static uint32_t word, turn, cond_turn; /* separate turns: the modes never mix */
static long per_block;

/* `rounds` times: wait until the turn is `mine`, then give it to the other
 * thread, through the futex word or through the mutex and condition. */
static void play_futex(uint32_t mine, long rounds)
{
	for (long i = 0; i < rounds; i++) {
		uint32_t t;
		while ((t = __atomic_load_n(&turn, __ATOMIC_ACQUIRE)) != mine)
			futex(&turn, FUTEX_WAIT_PRIVATE, t);
		__atomic_store_n(&turn, 1 - mine, __ATOMIC_RELEASE);
		futex(&turn, FUTEX_WAKE_PRIVATE, 1);
	}
}

static void play_cond(uint32_t mine, long rounds)
{
	for (long i = 0; i < rounds; i++) {
		pthread_mutex_lock(&mutex);
		while (cond_turn != mine)
			pthread_cond_wait(&changed, &mutex);
		cond_turn = 1 - mine;
		pthread_cond_signal(&changed);
		pthread_mutex_unlock(&mutex);
	}
}

static void *partner(void *arg)
{
	(void)arg;
	for (int b = 0; b < BLOCKS; b++) {
		play_cond(1, per_block);
		play_futex(1, per_block);
	}
	return NULL;
}

static double min(double a, double b)
{
	return a < b ? a : b;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;
	if (n < BLOCKS) {
		fprintf(stderr, "usage: futex_cost [ITERATIONS, at least %d]\n", BLOCKS);
		return 2;
	}
	per_block = n / BLOCKS;
	double lock_ns = 1e18, pair_ns = 1e18, cond_ns = 1e18, round_ns = 1e18;
	for (int b = 0; b < BLOCKS; b++) {
		double t0 = now_ns();
		for (long i = 0; i < per_block; i++) {
			pthread_mutex_lock(&mutex);
			pthread_mutex_unlock(&mutex);
		}
		double t1 = now_ns();
		for (long i = 0; i < per_block; i++) {
			futex(&word, FUTEX_WAKE_PRIVATE, 1);
			futex(&word, FUTEX_WAIT_PRIVATE, 1); /* the word is 0: EAGAIN */
		}
		double t2 = now_ns();
		lock_ns = min(lock_ns, (t1 - t0) / (double)per_block);
		pair_ns = min(pair_ns, (t2 - t1) / (double)per_block);
	}
	pthread_t t;
	pthread_create(&t, NULL, partner, NULL);
	for (int b = 0; b < BLOCKS; b++) {
		double t0 = now_ns();
		play_cond(0, per_block);
		double t1 = now_ns();
		play_futex(0, per_block);
		double t2 = now_ns();
		cond_ns = min(cond_ns, (t1 - t0) / (double)per_block);
		round_ns = min(round_ns, (t2 - t1) / (double)per_block);
	}
	pthread_join(t, NULL);
	printf("  mutex lock/unlock      %9.0f ns\n", lock_ns);
	printf("  futex wake/wait        %9.0f ns   %.2fx lock/unlock\n", pair_ns,
	       pair_ns / lock_ns);
	printf("  cond ping-pong round   %9.0f ns\n", cond_ns);
	printf("  futex ping-pong round  %9.0f ns   %.2fx cond ping-pong round\n", round_ns,
	       round_ns / cond_ns);
	return 0;
}
