/* A bug reached by exactly one of 252 schedules. Threads A and B each take
 * one mutex five times and append their letter to a log inside the
 * critical section; main joins both and asserts that the log is not the
 * one pattern FAILING.
 *
 * Why 252: the sections all use the same mutex, so every execution orders
 * all ten of them, and everything else either commutes (main's create of B
 * with A's sections: different objects) or is fixed (A's own sections in
 * program order, each join after its thread's exit). A happens-before order
 * (Mazurkiewicz trace) is therefore exactly the log: a word of five A and
 * five B, one of C(10,5) = 10!/(5!5!) = 252. Optimal DPOR
 * (`weft run --strategy dpor --keep-going`) explores exactly 252
 * executions, and exactly one of them fails (tests/one_in_252.sh).
 *
 * The failing pattern, chosen with -DFAILING (default AAABBBBBAA):
 *   AAABBBBBAA  A is preempted after three sections, B runs all five, A
 *               finishes: one preemption (two context switches; B taking
 *               over from a finished A is not a preemption). PCT depth 2.
 *   AABBBAAABB  A is preempted after two, B after three, then A and B
 *               finish: two preemptions. PCT depth 3.
 *   ABABABABAB  strict alternation: each of the first eight sections ends
 *               in a preemption (the ninth switch follows A's last
 *               section). PCT depth 9.
 * "B first" (BBBBBAAAAA) would need no preemption at all: main blocks in
 * its join and B may simply be picked.
 *
 * bench/rates.sh measures how often each strategy reaches the pattern. */
#include <assert.h>
#include <pthread.h>
#include <string.h>

#ifndef FAILING
#define FAILING "AAABBBBBAA"
#endif
#define SECTIONS 5

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static char sections[2 * SECTIONS + 1];
static int n;

static void *worker(void *arg)
{
	char id = *(const char *)arg;
	for (int i = 0; i < SECTIONS; i++) {
		pthread_mutex_lock(&m);
		sections[n++] = id;
		pthread_mutex_unlock(&m);
	}
	return NULL;
}

int main(void)
{
	static const char a = 'A', b = 'B';
	pthread_t ta, tb;
	pthread_create(&ta, NULL, worker, (void *)&a);
	pthread_create(&tb, NULL, worker, (void *)&b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	assert(strcmp(sections, FAILING) != 0);
	return 0;
}
