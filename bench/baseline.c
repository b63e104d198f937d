/* Baselines for weft's execution rate, measured in the same run as weft:
 *   baseline fork N            fork + _exit + waitpid, N times, on one CPU
 *                              (as weft runs: see core/executor_spawn.c)
 *   baseline spawn N PROG ...  posix_spawn + waitpid of PROG (no weft), N times
 * Prints "<runs per second>" on stdout. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: baseline fork N | baseline spawn N PROG [ARGS...]\n");
		return 2;
	}
	long n = atol(argv[2]);
	bool spawn = strcmp(argv[1], "spawn") == 0;
	if (n <= 0 || (spawn && argc < 4) || (!spawn && strcmp(argv[1], "fork") != 0)) {
		fprintf(stderr, "baseline: bad arguments\n");
		return 2;
	}
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
	if (!spawn) {
		cpu_set_t one;
		CPU_ZERO(&one);
		CPU_SET(sched_getcpu(), &one);
		sched_setaffinity(0, sizeof one, &one);
	}
	double start = now();
	for (long i = 0; i < n; i++) {
		pid_t pid;
		if (spawn) {
			if (posix_spawn(&pid, argv[3], &actions, NULL, argv + 3, environ) != 0) {
				perror("posix_spawn");
				return 2;
			}
		} else {
			pid = fork();
			if (pid == 0)
				_exit(0);
		}
		int status;
		waitpid(pid, &status, 0);
	}
	printf("%.0f\n", (double)n / (now() - start));
	return 0;
}
