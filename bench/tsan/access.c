/* The cost of plain memory accesses in an instrumented program: one thread
 * reads and writes a small array in a loop, one read and one write per
 * iteration, timed with the clock_gettime system call itself (weft
 * virtualises the libc function). A thread is created and joined first so
 * that under `weft run` the runtime controls the process, and the race
 * detector checks every access.
 * usage: access [ITERATIONS]; prints "<ns> ns per access" on stderr. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int data[256];

static double now(void)
{
	struct timespec t;
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void *nothing(void *arg)
{
	return arg;
}

static __attribute__((noinline)) int work(long n)
{
	for (long i = 0; i < n; i++) {
		int v = data[i & 255];
		data[(i + 1) & 255] = v + 1;
	}
	return data[n & 255];
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000000;
	pthread_t t;
	pthread_create(&t, NULL, nothing, NULL);
	pthread_join(t, NULL);
	work(n / 10); /* warm up: shadow memory, caches */
	double start = now();
	int result = work(n);
	double elapsed = now() - start;
	fprintf(stderr, "%.2f ns per access (%d)\n", elapsed * 1e9 / (2.0 * (double)n), result);
	return 0;
}
