/* A library shipped without debug information or symbols (built with -s):
 * the lock is taken in a static function, so no symbol names the frame and
 * a report can only say library+offset. */
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void take(void)
{
	pthread_mutex_lock(&lock);
	__asm__ volatile("" ::: "memory"); /* keep the call from being a tail call */
}

void hidden_take_twice(void)
{
	take();
	take(); /* a normal mutex locked twice by its owner: misuse */
}
