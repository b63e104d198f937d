/* The floor for any fork-based explorer: preloaded into a program, this
 * library stops before main and runs main in N forked children one after
 * the other, without weft, all on one CPU as weft runs them. Prints
 * "<runs per second>" on stderr; what the program prints goes where it
 * goes (run it with output to /dev/null).
 * usage: BENCH_FORKS=N LD_PRELOAD=libforkmain.so PROGRAM [ARGS...] */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef int (*main_fn)(int, char **, char **);
typedef int (*start_fn)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void),
                        void *);
static main_fn real_main;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int forking_main(int argc, char **argv, char **envp)
{
	const char *text = getenv("BENCH_FORKS");
	long n = text ? atol(text) : 0;
	if (n <= 0)
		return real_main(argc, argv, envp);
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	sched_setaffinity(0, sizeof one, &one);
	fflush(NULL);
	double start = now();
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0)
			return real_main(argc, argv, envp);
		if (pid < 0) {
			perror("fork");
			_exit(2);
		}
		waitpid(pid, NULL, 0);
	}
	fprintf(stderr, "%.0f\n", (double)n / (now() - start));
	_exit(0);
}

int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void),
                      void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
	start_fn real = (start_fn)dlsym(RTLD_NEXT, "__libc_start_main");
	real_main = main;
	return real(forking_main, argc, argv, init, fini, rtld_fini, stack_end);
}
