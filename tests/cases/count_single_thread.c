/* One thread and nothing else: main locks and unlocks a mutex and returns.
 *
 * Count: main's steps are lock, unlock, process exit, and no other thread
 * ever exists, so no step has a second candidate: the choice tree is a
 * single path, 1 execution.
 *
 * weft-expect: ok 1
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 1.
 * weft-expect-dpor: 1
 */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int value;

int main(void)
{
	pthread_mutex_lock(&m);
	value++;
	pthread_mutex_unlock(&m);
	return value == 1 ? 0 : 1;
}
