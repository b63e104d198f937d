/* Children of a program under weft run outside weft. After its threads
 * exist, the program starts a shell three ways (system, posix_spawn, fork
 * and exec), and each shell checks that it inherited neither LD_PRELOAD's
 * runtime, nor a WEFT_* variable, nor the exchange region's descriptor; a
 * shell that finds one exits 3 and the program fails. With the argument
 * "daemon" it also leaves a daemon() process sleeping behind, which weft
 * must end with the execution. */
#define _GNU_SOURCE
#include <pthread.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char check[] = "env | grep -q '^WEFT_' && exit 3; "
                            "case \"$LD_PRELOAD\" in *libweft*) exit 3;; esac; "
                            "ls -l /proc/$$/fd | grep -q weft-exchange && exit 3; exit 0";

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	pthread_mutex_unlock(&m);
	return NULL;
}

static int status_of(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int main(int argc, char **argv)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&m);
	pthread_mutex_unlock(&m);
	int failures = 0;
	failures += status_of(system(check)) != 0;
	char *sh_argv[] = {"sh", "-c", (char *)check, NULL};
	pid_t pid;
	int status;
	if (posix_spawn(&pid, "/bin/sh", NULL, NULL, sh_argv, environ) == 0 &&
	    waitpid(pid, &status, 0) == pid)
		failures += status_of(status) != 0;
	else
		failures++;
	pid = fork();
	if (pid == 0) {
		execv("/bin/sh", sh_argv);
		_exit(127);
	}
	failures += waitpid(pid, &status, 0) != pid || status_of(status) != 0;
	if (argc > 1 && strcmp(argv[1], "daemon") == 0) {
		pid = fork();
		if (pid == 0) {
			if (daemon(1, 1) == 0)
				for (;;)
					pause();
			_exit(1);
		}
		waitpid(pid, &status, 0);
	}
	pthread_join(t, NULL);
	return failures;
}
