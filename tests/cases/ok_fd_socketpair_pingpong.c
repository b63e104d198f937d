/* Ping-pong over a socketpair: main sends a number, the worker answers
 * with the number plus one, three rounds. Each side waits in recv() for
 * the other, a descriptor wait weft models, so the exchange runs with
 * kernel threads and with fibers alike; the waits and the final mutex
 * steps make the count.
 *
 * DFS: 11 executions in both modes, 5 distinct traces; DPOR: 5.
 *
 * weft-expect: ok 11
 * weft-expect-dpor: 5
 */
#include <assert.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

static int sv[2];
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int rounds;

static void *worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 3; i++) {
		int n;
		assert(recv(sv[1], &n, sizeof n, 0) == sizeof n);
		n++;
		assert(send(sv[1], &n, sizeof n, 0) == sizeof n);
	}
	pthread_mutex_lock(&m);
	rounds++;
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	assert(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	int n = 0;
	for (int i = 0; i < 3; i++) {
		assert(send(sv[0], &n, sizeof n, 0) == sizeof n);
		int back;
		assert(recv(sv[0], &back, sizeof back, 0) == sizeof back);
		assert(back == n + 1);
		n = back + 1;
	}
	pthread_mutex_lock(&m);
	rounds++;
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	assert(rounds == 2);
	return 0;
}
