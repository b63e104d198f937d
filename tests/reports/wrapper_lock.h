#ifndef WRAPPER_LOCK_H
#define WRAPPER_LOCK_H
#include <pthread.h>
void wrapper_lock(pthread_mutex_t *m);
void wrapper_unlock(pthread_mutex_t *m);
#endif
