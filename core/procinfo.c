/* What /proc says about a target and the machine: the thread that runs
 * now, its CPU time and state (the watchdog tells a thread stuck in a call
 * from one the machine does not give the CPU), and the out-of-memory
 * killer's count (a SIGKILL weft did not send). */
#define _GNU_SOURCE
#include "procinfo.h"

#include <stdio.h>
#include <string.h>

unsigned long long weft_oom_kills(void)
{
	FILE *f = fopen("/proc/vmstat", "r");
	char line[128];
	unsigned long long n = 0;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "oom_kill %llu", &n) == 1)
			break;
	if (f)
		fclose(f);
	return n;
}

pid_t weft_running_tid(pid_t pid, const struct weft_shm *shm)
{
	uint32_t t = shm->current;
	if (shm->claimed_pid == pid && t < shm->nthreads && t < WEFT_MAX_THREADS &&
	    shm->threads[t].tid > 0)
		return shm->threads[t].tid;
	return pid;
}

unsigned long long weft_thread_cpu(pid_t pid, pid_t tid, char *state)
{
	char path[96], text[512];
	unsigned long long ns = 0;
	*state = '?';
	snprintf(path, sizeof path, "/proc/%d/task/%d/schedstat", (int)pid, (int)tid);
	FILE *f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%llu", &ns) != 1)
			ns = 0;
		fclose(f);
	}
	snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	f = fopen(path, "r");
	if (f) {
		size_t n = fread(text, 1, sizeof text - 1, f);
		text[n] = '\0';
		fclose(f);
		const char *close_paren = strrchr(text, ')'); /* the name may hold spaces */
		if (close_paren && close_paren[1] == ' ')
			*state = close_paren[2];
	}
	return ns;
}
