/* The cost of a call that weft wraps with --yield-at, next to a direct call
 * of the same function and to the pieces it is made of, measured in one
 * run. Run it through bench/wrap_cost.sh, which runs it once without weft
 * and once under `weft run` with wc_target, wc_lock and wc_unlock wrapped:
 * then every wrapped call is a scheduling point of weft's (one thread, so
 * no hand-off between threads) with its event recorded, plus the libffi
 * closure and ffi_call that carry it.
 *
 * usage: wrap_cost [CALLS]   prints ns per call for each way of calling.
 * It reads the time with the raw system call: under weft, clock_gettime is
 * virtual. */
#define _GNU_SOURCE
#include <ffi.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int wc_direct(int *p, long v);
int wc_target(int *p, long v);
void wc_lock(int *lock);
void wc_unlock(int *lock);

static double now_ns(void)
{
	struct timespec ts;
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* A libffi closure that only forwards: the floor under any wrapper. */
static void forward(ffi_cif *cif, void *ret, void **args, void *original)
{
	ffi_call(cif, FFI_FN(original), ret, args);
}

typedef int (*target_fn)(int *, long);

static target_fn bare_closure(void)
{
	static ffi_cif cif;
	static ffi_type *args[2] = {&ffi_type_pointer, &ffi_type_slong};
	void *code;
	ffi_closure *c = ffi_closure_alloc(sizeof *c, &code);
	if (!c || ffi_prep_cif(&cif, FFI_DEFAULT_ABI, 2, &ffi_type_sint, args) != FFI_OK ||
	    ffi_prep_closure_loc(c, &cif, (void (*)(ffi_cif *, void *, void **, void *))forward,
	                         (void *)wc_direct, code) != FFI_OK) {
		fprintf(stderr, "wrap_cost: libffi refused the closure\n");
		exit(1);
	}
	return (target_fn)code;
}

static volatile long sink;

static double per_call(target_fn f, long calls)
{
	int x = 1;
	long sum = 0;
	double t = now_ns();
	for (long i = 0; i < calls; i++)
		sum += f(&x, i);
	sink = sum;
	return (now_ns() - t) / (double)calls;
}

static double per_lock_pair(long pairs)
{
	static int lock;
	double t = now_ns();
	for (long i = 0; i < pairs; i++) {
		wc_lock(&lock);
		wc_unlock(&lock);
	}
	return (now_ns() - t) / (double)pairs;
}

static double per_mutex_pair(long pairs)
{
	static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
	double t = now_ns();
	for (long i = 0; i < pairs; i++) {
		pthread_mutex_lock(&mutex);
		pthread_mutex_unlock(&mutex);
	}
	return (now_ns() - t) / (double)pairs;
}

int main(int argc, char **argv)
{
	long calls = argc > 1 ? atol(argv[1]) : 100000;
	if (calls <= 0)
		calls = 100000;
	/* Through the PLT, as the program's calls are; the pointers are read
	 * from the GOT at each call, so weft's redirection shows. */
	target_fn direct = wc_direct, bare = bare_closure();
	/* Warm up: lazy binding, the first scheduling point, caches. */
	per_call(direct, 1000);
	per_call(bare, 1000);
	double t_direct = per_call(direct, calls);
	double t_bare = per_call(bare, calls);
	double t_target = 0;
	{
		int x = 1;
		long sum = 0;
		double t = now_ns();
		for (long i = 0; i < calls; i++)
			sum += wc_target(&x, i);
		sink = sum;
		t_target = (now_ns() - t) / (double)calls;
	}
	double t_lock = per_lock_pair(calls);
	double t_mutex = per_mutex_pair(calls);
	printf("%ld calls each, %s weft, ns per call:\n", calls,
	       getenv("WEFT_SHM_FD") ? "under" : "without");
	printf("  %-44s %8.1f\n", "wc_direct: direct call through the PLT", t_direct);
	printf("  %-44s %8.1f\n", "bare libffi closure + ffi_call", t_bare);
	printf("  %-44s %8.1f\n", "wc_target (wrapped under weft: =call)", t_target);
	printf("  %-44s %8.1f\n", "wc_lock + wc_unlock pair (=lock/=unlock)", t_lock);
	printf("  %-44s %8.1f\n", "pthread_mutex_lock + unlock pair", t_mutex);
	return 0;
}
