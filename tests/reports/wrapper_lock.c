/* A thin wrapper library of the program's own (as tinycthread is for the
 * tests that use it): every lock goes through wrapper_lock(). */
#include <pthread.h>

#include "wrapper_lock.h"

void wrapper_lock(pthread_mutex_t *m)
{
	pthread_mutex_lock(m);
}

void wrapper_unlock(pthread_mutex_t *m)
{
	pthread_mutex_unlock(m);
}
