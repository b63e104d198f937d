/* Two threads add to a plain counter inside __VERIFIER_atomic_begin/end
 * sections (SV-COMP's atomic blocks): the sections run one at a time, so
 * they order the accesses and there is no data race (instrumented build).
 * The functions are weak: under weft the runtime defines them; run alone
 * the program skips them.
 *
 * The counts are measured (the sections are ordered with everything, and
 * each thread's start and exit are events of their own).
 * weft-expect: ok 251
 * weft-expect-dpor: 70
 */
#include <assert.h>
#include <pthread.h>

extern void __VERIFIER_atomic_begin(void) __attribute__((weak));
extern void __VERIFIER_atomic_end(void) __attribute__((weak));

static int counter;

static void *add(void *arg)
{
	(void)arg;
	if (__VERIFIER_atomic_begin)
		__VERIFIER_atomic_begin();
	counter++;
	if (__VERIFIER_atomic_end)
		__VERIFIER_atomic_end();
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, add, NULL);
	pthread_create(&b, NULL, add, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	assert(counter == 2);
	return 0;
}
