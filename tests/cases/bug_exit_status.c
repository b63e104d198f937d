/* A test that reports failure through its exit status instead of assert:
 * two workers append their id to a log, each reserving a slot under the
 * lock and filling it under the lock again, reserving by reading `used`
 * and writing it back in two critical sections. When both reserve the same
 * slot, one id is lost and main returns 1: weft reports exit-status.
 *
 * weft-expect: bug exit-status
 */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int log_ids[2], used;

static void *worker(void *arg)
{
	int id = *(int *)arg;
	pthread_mutex_lock(&m);
	int slot = used;
	pthread_mutex_unlock(&m);
	pthread_mutex_lock(&m);
	log_ids[slot] = id;
	used = slot + 1;
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	static int ids[2] = {1, 2};
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, &ids[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	if (used != 2 || log_ids[0] + log_ids[1] != 3) {
		fprintf(stderr, "FAIL: log has %d entries\n", used);
		return 1;
	}
	return 0;
}
