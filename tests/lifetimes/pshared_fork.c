/* A process-shared mutex in shared memory, used by the parent and a forked
 * child: a correct program, but the child runs outside weft's control, so
 * weft refuses it with an error (exit 2) rather than give a verdict on a
 * model that sees only the parent (tests/lifetimes.sh). With an argument
 * the order is reversed: the fork comes first and the mutex after it. */
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared {
	pthread_mutex_t lock;
	int counter;
};

static void init(struct shared *s)
{
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&s->lock, &attr);
	pthread_mutexattr_destroy(&attr);
}

static void bump(struct shared *s)
{
	pthread_mutex_lock(&s->lock);
	s->counter++;
	pthread_mutex_unlock(&s->lock);
}

int main(int argc, char **argv)
{
	(void)argv;
	struct shared *s =
	    mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		return 1;
	bool fork_first = argc > 1;
	if (!fork_first)
		init(s);
	else
		sched_yield(); /* weft takes control of the process at its first call */
	pid_t child = fork();
	if (child == 0) {
		if (fork_first)
			usleep(1000);
		bump(s);
		_exit(0);
	}
	if (fork_first)
		init(s);
	bump(s);
	waitpid(child, NULL, 0);
	return s->counter == 2 ? 0 : 1;
}
