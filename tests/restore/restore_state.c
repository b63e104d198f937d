/* Every execution must start from the state a fresh process has at main,
 * however the previous one left the process: this program checks what it
 * finds at the start against what the first execution found (kept in the
 * file named by its argument), then changes all of it (globals, the heap
 * and its break, a large allocation, mappings of its own, a descriptor,
 * a signal disposition, the signal mask, a pending signal, the working
 * directory, the file mode mask) and leaves it so. An execution restored in place that missed
 * any of it aborts. Two threads meet on a mutex, so that there is more
 * than one execution. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int counter;
static int initialised = 7;
static char *chain; /* a list grown in every execution */
static void *leaked;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

/* With RESTORE_STATE_NO_USERFAULTFD=1, the process is as on a kernel
 * without userfaultfd (a seccomp filter makes the call fail with ENOSYS),
 * from before main on, before weft's fork server starts. */
__attribute__((constructor)) static void without_userfaultfd(void)
{
	if (!getenv("RESTORE_STATE_NO_USERFAULTFD"))
		return;
	struct sock_filter code[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_userfaultfd, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof code / sizeof code[0], .filter = code};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
		abort();
}

static void *worker(void *arg)
{
	pthread_mutex_lock(&m);
	counter++;
	pthread_mutex_unlock(&m);
	return arg;
}

static void handler(int sig)
{
	(void)sig;
}

static void describe(char *out, size_t len)
{
	struct sigaction sa;
	sigaction(SIGUSR1, NULL, &sa);
	sigset_t mask, pending;
	sigprocmask(SIG_BLOCK, NULL, &mask);
	sigpending(&pending);
	int fd = open("/dev/null", O_RDONLY);
	void *small = malloc(64), *big = malloc(4u << 20);
	char cwd[512];
	if (!getcwd(cwd, sizeof cwd))
		strcpy(cwd, "?");
	mode_t um = umask(022);
	umask(um);
	/* Descriptors an execution left open far above the lowest free one. */
	int high = (fcntl(150, F_GETFD) != -1) + 2 * (fcntl(300, F_GETFD) != -1);
	snprintf(out, len,
	         "counter=%d data=%d chain=%p fd=%d high-fds=%d small=%p big=%p brk=%p usr1=%s "
	         "usr2-blocked=%d usr2-pending=%d cwd=%s umask=%o\n",
	         counter, initialised, (void *)chain, fd, high, small, big, sbrk(0),
	         sa.sa_handler == SIG_DFL ? "default" : "changed", sigismember(&mask, SIGUSR2),
	         sigismember(&pending, SIGUSR2), cwd, (unsigned)um);
	close(fd);
	free(small);
	free(big);
}

static void check(const char *path, const char *now)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd >= 0) { /* the first execution: what every later one must see */
		if (write(fd, now, strlen(now)) != (ssize_t)strlen(now))
			abort();
		close(fd);
		return;
	}
	char first[1024] = {0};
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, first, sizeof first - 1) < 0)
		abort();
	close(fd);
	if (strcmp(first, now) != 0) {
		fprintf(stderr, "the execution did not start afresh:\n first: %s now:   %s", first,
		        now);
		abort();
	}
}

static void leave_changed(void)
{
	counter = 100;
	initialised = 0;
	for (int i = 0; i < 4000; i++) { /* past the heap's first 132 KiB */
		char *node = malloc(64);
		memcpy(node, &chain, sizeof chain);
		chain = node;
	}
	leaked = malloc(1u << 20); /* a mapping of malloc's own */
	char *mine =
	    mmap(NULL, 1u << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mine != MAP_FAILED)
		mine[0] = 1;
	int exe = open("/proc/self/exe", O_RDONLY);
	if (exe >= 0)
		mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, exe, 0);
	for (int i = 0; i < 40; i++) /* past the highest descriptor open before main */
		dup(0);
	dup2(0, 150);
	dup2(0, 300);
	signal(SIGUSR1, handler);
	sigset_t usr2;
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	sigprocmask(SIG_BLOCK, &usr2, NULL);
	raise(SIGUSR2); /* left pending: it would end the next execution */
	if (chdir("/") != 0)
		abort();
	umask(077);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s STATE_FILE\n", argv[0]);
		return 2;
	}
	char now[1024];
	describe(now, sizeof now);
	check(argv[1], now);
	leave_changed();
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&m);
	counter++;
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	return 0;
}
