/* The lost wake-up of bug_atomic_flag_lost_wakeup.c with the flag set by
 * the other form of a sequentially consistent store, `mov` then `mfence`
 * (older compilers, hand-written code), in inline assembly: weft traps the
 * mov (interpose/atomic_trap.c), reports it as "atomic store (trapped mov;
 * mfence)", and the default strategy finds the deadlock as before.
 *
 * weft-expect: bug deadlock
 * weft-options: --seed 1
 */
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static volatile int ready;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	if (!ready) /* wrong: `if`, and the flag may be set right after */
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	__asm__ volatile("movl $1, %0\n\tmfence" : "=m"(ready) : : "memory");
	pthread_cond_signal(&cond); /* wrong: without the mutex */
	pthread_join(t, NULL);
	return 0;
}
