/* Signals another thread sends to one that waits for them: a signal
 * thread in sigwait gets SIGUSR1 from pthread_kill and SIGTERM from
 * kill(getpid()) (both blocked in every thread), and a thread that checks
 * a flag with SIGUSR2 blocked and waits for it in sigsuspend (the
 * race-free form of `while (!flag) pause();`) is woken by pthread_kill of
 * the handled SIGUSR2, sent before or after it waits. weft sees the
 * signal the kernel holds for the waiting thread (/proc), so the wait is
 * enabled and the real call takes it: no false deadlock, no hang. (Kernel
 * threads: pthread_kill of another fiber is the fiber layer's.)
 *
 * Count: main's sched_yield against the pauser's start and first pause:
 * 2 executions.
 *
 * weft-expect: ok 2
 * weft-options: --threads=kernel
 */
#include <assert.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

static volatile sig_atomic_t woken;

static void on_usr2(int sig)
{
	(void)sig;
	woken = 1;
}

static void *signal_thread(void *expected)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	int sig = 0;
	assert(sigwait(&set, &sig) == 0 && sig == (int)(long)expected);
	return NULL;
}

static void *pauser(void *arg)
{
	(void)arg;
	sigset_t open;
	pthread_sigmask(SIG_BLOCK, NULL, &open); /* SIGUSR2 blocked, from main */
	sigdelset(&open, SIGUSR2);
	while (!woken)
		sigsuspend(&open);
	return NULL;
}

int main(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_t t;
	pthread_create(&t, NULL, signal_thread, (void *)(long)SIGUSR1);
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	pthread_create(&t, NULL, signal_thread, (void *)(long)SIGTERM);
	kill(getpid(), SIGTERM);
	pthread_join(t, NULL);
	signal(SIGUSR2, on_usr2);
	pthread_create(&t, NULL, pauser, NULL);
	sched_yield();
	pthread_kill(t, SIGUSR2);
	pthread_join(t, NULL);
	return 0;
}
