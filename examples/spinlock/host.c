/* The lost update of lost_update.c with the spin lock defined in the program
 * itself and the workers in a library (libworker.so) that calls back into
 * it, as a plugin calls its host. The program exports its functions
 * (-rdynamic), so the library's calls go through the library's GOT, which
 * weft redirects; the program's own calls would be direct and could not be.
 *
 *   weft run -- ./host                                            OK, complete
 *   weft run --yield-at 'host_lock(int*)->void=lock(1)' \
 *            --yield-at 'host_unlock(int*)->void=unlock(1)' -- ./host
 *     BUG assertion: `shared.counter == 2' failed
 *
 * Built with lazy binding (host) and with -z now (host_now). */
#include <assert.h>
#include <pthread.h>
#include <stddef.h>

#include "worker.h"

void host_lock(int *lock)
{
	while (__sync_lock_test_and_set(lock, 1))
		continue;
}

void host_unlock(int *lock)
{
	__sync_lock_release(lock);
}

int main(void)
{
	static struct shared shared;
	pthread_t a, b;
	pthread_create(&a, NULL, worker_run, &shared);
	pthread_create(&b, NULL, worker_run, &shared);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	assert(shared.counter == 2);
	return 0;
}
