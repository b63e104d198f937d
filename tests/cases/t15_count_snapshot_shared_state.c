/* What a snapshot must not share between executions: main's prefix maps
 * shared memory, keeps a file open (tmpfile) and starts a child process,
 * which every process forked from a snapshot would share with the others
 * (the memory, the file's offset) or not have at all (the child). The
 * workers add to a counter in the shared memory and each read one byte of
 * the file under a mutex; main checks both and waits for its child after
 * the joins. With --threads=fiber --snapshots weft takes no snapshot of
 * such a program (snapshot.c): every execution starts from main and passes.
 *
 * Count: the steps are those of the two-worker mutex counter
 * (count_mutex_counter_2.c): 151 executions.
 *
 * weft-options: --snapshots
 * weft-expect: ok 151
 * Optimal DPOR explores one execution per happens-before order: the
 * distinct traces of the DFS run, 2.
 * weft-expect-dpor: 2
 */
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int *shared_counter;
static int fd;
static char got[2];

static void *worker(void *arg)
{
	pthread_mutex_lock(&m);
	char c = 0;
	assert(read(fd, &c, 1) == 1);
	got[*shared_counter] = c;
	*shared_counter += 1;
	pthread_mutex_unlock(&m);
	return arg;
}

int main(void)
{
	shared_counter =
	    mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert(shared_counter != MAP_FAILED);
	FILE *f = tmpfile();
	assert(f && fputs("ab", f) >= 0 && fflush(f) == 0);
	fd = fileno(f);
	assert(lseek(fd, 0, SEEK_SET) == 0);
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	assert(child > 0);
	pthread_t a, b;
	pthread_create(&a, NULL, worker, NULL);
	pthread_create(&b, NULL, worker, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	assert(*shared_counter == 2 && got[0] == 'a' && got[1] == 'b');
	int status;
	assert(waitpid(child, &status, 0) == child && WIFEXITED(status));
	fclose(f);
	return 0;
}
