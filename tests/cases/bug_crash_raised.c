/* A program that ends itself with raise(SIGSEGV) rather than by a fault:
 * the handler that records where a thread crashed (interpose/crash_stack.c)
 * must still let the signal end the process, or "survived" would be a
 * false pass.
 *
 * weft-expect: bug crash
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

static void *worker(void *arg)
{
	(void)arg;
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	raise(SIGSEGV);
	printf("survived\n");
	return 0;
}
