/* pthread_once's initialiser calls pthread_once on the same control: glibc
 * waits for the initialiser to finish, that is for itself, for ever.
 *
 * weft-expect: bug misuse
 * weft-expect-dpor: bug misuse
 */
#include <pthread.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int ready;

static void init(void)
{
	ready = 1;
	pthread_once(&once, init);
}

int main(void)
{
	pthread_once(&once, init);
	return !ready;
}
