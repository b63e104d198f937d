/* A function that takes a normal (non-recursive) mutex calls a helper that
 * takes it again. A real run deadlocks on itself; weft reports misuse at
 * the second lock.
 *
 * weft-expect: bug misuse
 */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int total;

static void add(int n)
{
	pthread_mutex_lock(&m);
	total += n;
	pthread_mutex_unlock(&m);
}

int main(void)
{
	pthread_mutex_lock(&m);
	add(1); /* wrong: m is already held */
	pthread_mutex_unlock(&m);
	return total == 1 ? 0 : 1;
}
