/* The same relock with an error-checking mutex: pthread_mutex_lock would
 * return EDEADLK, which this program ignores; weft reports misuse.
 *
 * weft-expect: bug misuse
 */
#include <pthread.h>

static pthread_mutex_t m;
static int total;

static void add(int n)
{
	pthread_mutex_lock(&m);
	total += n;
	pthread_mutex_unlock(&m);
}

int main(void)
{
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&m, &attr);
	pthread_mutexattr_destroy(&attr);
	pthread_mutex_lock(&m);
	add(1); /* wrong: m is already held */
	pthread_mutex_unlock(&m);
	return 0;
}
