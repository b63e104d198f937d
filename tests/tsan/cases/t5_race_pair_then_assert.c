/* A pair written in two steps while another thread reads it: the writer
 * sets `lo` then `hi` with plain stores, the reader reads `lo` then `hi`
 * and asserts they agree. Nothing orders the accesses: a data race, and
 * the reader can see the pair half written, which fails the assertion.
 * Plain accesses are not scheduling points, so the first executions show
 * the race but never the assertion; without --keep-going weft reports the
 * race, as here. With --keep-going each access that raced becomes a
 * scheduling point of the executions that follow, and the search reaches
 * the assertion: both are reported, the race first (tests/races_explored.sh).
 *
 * weft-expect: bug data-race
 */
#include <assert.h>
#include <pthread.h>

static struct {
	int lo, hi;
} pair;

static void *writer(void *arg)
{
	(void)arg;
	pair.lo = 1;
	pair.hi = 1;
	return NULL;
}

static void *reader(void *arg)
{
	(void)arg;
	int lo = pair.lo;
	int hi = pair.hi;
	assert(lo == hi);
	return NULL;
}

int main(void)
{
	pthread_t w, r;
	pthread_create(&w, NULL, writer, NULL);
	pthread_create(&r, NULL, reader, NULL);
	pthread_join(w, NULL);
	pthread_join(r, NULL);
	return 0;
}
