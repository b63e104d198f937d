/* An event loop: main waits with epoll_wait on two pipes, each written
 * once by its own worker, and reads what is ready until it has both
 * bytes. epoll_wait with nothing ready is a descriptor wait weft models
 * (its epoll descriptor polls readable once an event is ready).
 *
 * DFS: 61 executions in both modes, 16 distinct traces. DPOR explores 14
 * covering 12: a write to a pipe is no event, so it does not see that main
 * finds one pipe or both ready depending on where the workers' writes fall
 * (as with plain memory in an uninstrumented build; the default strategy
 * samples on with PCT for that reason).
 *
 * weft-expect: ok 61
 */
#include <assert.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <unistd.h>

static int p[2][2];

static void *worker(void *arg)
{
	int i = (int)(long)arg;
	char c = (char)('a' + i);
	assert(write(p[i][1], &c, 1) == 1);
	return NULL;
}

int main(void)
{
	int ep = epoll_create1(0);
	assert(ep >= 0);
	for (int i = 0; i < 2; i++) {
		assert(pipe(p[i]) == 0);
		struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
		assert(epoll_ctl(ep, EPOLL_CTL_ADD, p[i][0], &ev) == 0);
	}
	pthread_t t[2];
	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	int got = 0;
	while (got < 2) {
		struct epoll_event ev[2];
		int n = epoll_wait(ep, ev, 2, -1);
		assert(n > 0);
		for (int k = 0; k < n; k++) {
			char c;
			assert(read(p[ev[k].data.u32][0], &c, 1) == 1);
			assert(c == (char)('a' + ev[k].data.u32));
			got++;
		}
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return 0;
}
