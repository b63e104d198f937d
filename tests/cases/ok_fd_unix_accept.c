/* A server and a client over a Unix socket: main listens, a client thread
 * connects, sends a request and waits for the answer; main waits in
 * accept() for the connection and in recv() for the request, then
 * answers. accept and recv on sockets with nothing pending are descriptor
 * waits weft models (interpose/fiber_io.c), with kernel threads and with
 * fibers alike. The socket's name is abstract and carries the pid, so
 * executions never meet. Every step is ordered by the exchange (the
 * answer comes after main's mutex step, the client's after it): 1
 * execution in both modes.
 *
 * weft-expect: ok 1
 * weft-expect-dpor: 1
 */
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static struct sockaddr_un addr;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int served;

static void *client(void *arg)
{
	(void)arg;
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	assert(s >= 0);
	assert(connect(s, (struct sockaddr *)&addr, sizeof addr) == 0);
	int request = 41, answer = 0;
	assert(send(s, &request, sizeof request, 0) == sizeof request);
	assert(recv(s, &answer, sizeof answer, 0) == sizeof answer);
	assert(answer == 42);
	pthread_mutex_lock(&m);
	assert(served == 1);
	pthread_mutex_unlock(&m);
	close(s);
	return NULL;
}

int main(void)
{
	addr.sun_family = AF_UNIX;
	snprintf(addr.sun_path + 1, sizeof addr.sun_path - 1, "weft-fd-accept-%d", (int)getpid());
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	assert(l >= 0);
	assert(bind(l, (struct sockaddr *)&addr, sizeof addr) == 0);
	assert(listen(l, 1) == 0);
	pthread_t t;
	pthread_create(&t, NULL, client, NULL);
	int c = accept(l, NULL, NULL);
	assert(c >= 0);
	int request = 0;
	assert(recv(c, &request, sizeof request, 0) == sizeof request);
	pthread_mutex_lock(&m);
	served++;
	pthread_mutex_unlock(&m);
	int answer = request + 1;
	assert(send(c, &answer, sizeof answer, 0) == sizeof answer);
	pthread_join(t, NULL);
	close(c);
	close(l);
	return 0;
}
