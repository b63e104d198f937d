/* Two locks taken in opposite orders through the program's own wrapper
 * (wrapper_lock.c): a deadlock whose every step happens inside the
 * wrapper. The report's "at" column must still name this file's lines. */
#include <pthread.h>

#include "wrapper_lock.h"

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;

static void *forward(void *arg)
{
	(void)arg;
	wrapper_lock(&a); /* line 13 */
	wrapper_lock(&b); /* line 14 */
	wrapper_unlock(&b);
	wrapper_unlock(&a);
	return NULL;
}

static void *backward(void *arg)
{
	(void)arg;
	wrapper_lock(&b); /* line 23 */
	wrapper_lock(&a); /* line 24 */
	wrapper_unlock(&a);
	wrapper_unlock(&b);
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;
	pthread_create(&t1, NULL, forward, NULL);
	pthread_create(&t2, NULL, backward, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	return 0;
}
