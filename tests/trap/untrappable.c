/* A program with an atomic instruction weft cannot trap: `lock incl
 * (%eax)` addresses memory through a 32-bit register, which the trap
 * handler does not compute (atomic_trap_scan.c). It is never executed; it
 * only has to be in the code for the summary to name it as not seen. Two
 * threads share a mutex-protected counter, so everything else is seen. */
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int counter;

__attribute__((noinline, used)) void never_called(void)
{
	__asm__ volatile("lock incl (%%eax)" : : : "memory");
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	counter++;
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	worker(NULL);
	pthread_join(t, NULL);
	return counter == 2 ? 0 : 1;
}
