/* Check-then-act across two critical sections: main checks under the lock
 * that the shared configuration pointer is set, drops the lock, and takes it
 * again to read through the pointer without checking again. Meanwhile a
 * worker "reloads" the configuration by clearing the pointer, then setting
 * it again. When the clear falls between main's check and main's use, main
 * dereferences NULL and dies of SIGSEGV: weft reports a crash.
 *
 * weft-expect: bug crash
 */
#include <pthread.h>
#include <stddef.h>

struct config {
	int verbosity;
};

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static struct config defaults = {1};
static struct config *volatile current = &defaults;

static void *reloader(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	current = NULL; /* about to be replaced */
	pthread_mutex_unlock(&m);
	pthread_mutex_lock(&m);
	current = &defaults;
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, reloader, NULL);
	pthread_mutex_lock(&m);
	int present = current != NULL;
	pthread_mutex_unlock(&m);
	int verbosity = 0;
	if (present) {
		pthread_mutex_lock(&m);
		verbosity = current->verbosity; /* current may be NULL again by now */
		pthread_mutex_unlock(&m);
	}
	pthread_join(t, NULL);
	return verbosity >= 0 ? 0 : 1;
}
