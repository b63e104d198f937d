/* Which thread takes a timer's signal is a choice weft explores. Both
 * threads wait (main in pthread_join, the worker in sem_wait) when the
 * virtual clock reaches the alarm; either may run the handler, which
 * records who it ran in and posts the semaphore. With kernel threads the
 * depth-first search explores exactly 2 executions, and the program
 * prints which thread took the signal in each (tests/timers.sh). */
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static sem_t go;
static __thread int who;
static volatile sig_atomic_t taker = -1;

static void on_alarm(int sig)
{
	(void)sig;
	taker = who;
	sem_post(&go);
}

static void *worker(void *arg)
{
	(void)arg;
	who = 1;
	while (sem_wait(&go) != 0)
		;
	return NULL;
}

int main(void)
{
	sem_init(&go, 0, 0);
	signal(SIGALRM, on_alarm);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	alarm(1);
	pthread_join(t, NULL);
	printf("taken by %d\n", (int)taker);
	return taker < 0;
}
