/* A large struct copied while another thread writes one of its fields:
 * clang turns the copy into a memcpy call, gcc into a range access; both
 * reach the race detector.
 * weft-expect: bug data-race */
#include <pthread.h>

struct config {
	char name[200];
	int retries;
	char padding[200];
};

struct config current;

static __attribute__((noinline)) int checksum(const struct config *c)
{
	int sum = c->retries;
	for (unsigned i = 0; i < sizeof c->name; i++)
		sum += c->name[i] + c->padding[i];
	return sum;
}

static void *worker(void *arg)
{
	(void)arg;
	current.retries = *(int *)arg;
	return NULL;
}

int main(int argc, char **argv)
{
	(void)argv;
	pthread_t t;
	pthread_create(&t, NULL, worker, &argc);
	struct config snapshot = current;
	pthread_join(t, NULL);
	return checksum(&snapshot) == 12345;
}
