/* A semaphore already at SEM_VALUE_MAX is posted again: sem_post would
 * fail with EOVERFLOW, a sign that something posts without bound.
 *
 * weft-expect: bug misuse
 * weft-expect-dpor: bug misuse
 */
#include <limits.h>
#include <semaphore.h>

int main(void)
{
	sem_t sem;
	sem_init(&sem, 0, SEM_VALUE_MAX);
	sem_post(&sem);
	return 0;
}
