/* Children made by raw clone system calls (syscall(SYS_clone) and
 * syscall(SYS_clone3)), which run no fork handlers, run outside weft as
 * fork()'s children do.
 *   helper  a helper process with threads, cloned at the start of main
 *           before any synchronisation call, outlives each execution and
 *           locks in a loop; the main process has the textbook ABBA
 *           deadlock, whose verdict and count must be those without the
 *           helper (argument "none");
 *   after   once threads exist, a worker clones (SYS_clone, then
 *           SYS_clone3) children that lock mutexes on the real functions
 *           and start a shell that checks it inherited nothing of weft (no
 *           LD_PRELOAD runtime, no WEFT_* variable, no exchange region); a
 *           third child sleeps on and must end with its execution;
 *   thread  a raw clone of a thread (CLONE_VM | CLONE_THREAD), which weft
 *           cannot schedule: exit 2 naming it, never a hang. */
#define _GNU_SOURCE
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;

static const char check[] = "env | grep -q '^WEFT_' && exit 3; "
                            "case \"$LD_PRELOAD\" in *libweft*) exit 3;; esac; "
                            "ls -l /proc/$$/fd | grep -q weft-exchange && exit 3; exit 0";

static long raw_fork(void)
{
	return syscall(SYS_clone, (long)SIGCHLD, 0L, 0L, 0L, 0L);
}

static long raw_clone3(void)
{
	struct clone_args args;
	memset(&args, 0, sizeof args);
	args.exit_signal = SIGCHLD;
	return syscall(SYS_clone3, &args, sizeof args);
}

static _Noreturn void *helper_thread(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&a);
		pthread_mutex_unlock(&a);
		usleep(10000);
	}
}

static void *a_then_b(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&a);
	pthread_mutex_lock(&b);
	pthread_mutex_unlock(&b);
	pthread_mutex_unlock(&a);
	return NULL;
}

static void *b_then_a(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&b);
	pthread_mutex_lock(&a);
	pthread_mutex_unlock(&a);
	pthread_mutex_unlock(&b);
	return NULL;
}

/* A child that locks on the real functions, then runs the shell's check. */
static _Noreturn void checking_child(void)
{
	for (int i = 0; i < 3; i++) {
		pthread_mutex_lock(&a);
		pthread_mutex_unlock(&a);
	}
	execl("/bin/sh", "sh", "-c", check, (char *)NULL);
	_exit(127);
}

static int status_of(pid_t pid)
{
	int status;
	if (pid <= 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void *cloning_worker(void *arg)
{
	int *failures = arg;
	pthread_mutex_lock(&a);
	pthread_mutex_unlock(&a);
	long pid = raw_fork();
	if (pid == 0)
		checking_child();
	*failures += status_of((pid_t)pid) != 0;
	pid = raw_clone3();
	if (pid == 0)
		checking_child();
	*failures += status_of((pid_t)pid) != 0;
	/* A child that outlives its execution: ended with it. */
	if (raw_fork() == 0)
		for (;;)
			pause();
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "none";
	if (strcmp(mode, "helper") == 0 && raw_fork() == 0) {
		pthread_t h[2];
		for (int i = 0; i < 2; i++)
			pthread_create(&h[i], NULL, helper_thread, NULL);
		for (int i = 0; i < 2; i++)
			pthread_join(h[i], NULL);
		_exit(0);
	}
	if (strcmp(mode, "after") == 0) {
		int failures = 0;
		pthread_t t;
		pthread_create(&t, NULL, cloning_worker, &failures);
		pthread_mutex_lock(&a);
		pthread_mutex_unlock(&a);
		pthread_join(t, NULL);
		return failures;
	}
	if (strcmp(mode, "thread") == 0) {
		pthread_mutex_lock(&a);
		pthread_mutex_unlock(&a);
		/* Refused before it is made: without weft this would need a stack. */
		syscall(SYS_clone,
		        (long)(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
		               CLONE_SYSVSEM),
		        0L, 0L, 0L, 0L);
		return 1;
	}
	pthread_t t1, t2;
	pthread_create(&t1, NULL, a_then_b, NULL);
	pthread_create(&t2, NULL, b_then_a, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	return 0;
}
