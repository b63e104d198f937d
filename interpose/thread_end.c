/* The end of a thread under weft's control. A thread ends by returning
 * from its start routine, by pthread_exit, or by acting on a cancellation
 * request; the last two unwind through glibc, running cleanup handlers and
 * C++ destructors. Each way reaches the cleanup handler that the start
 * trampoline pushes first (so it runs last), and there, still under weft's
 * control, the thread runs what glibc would run after it: the destructors of
 * C++ thread_local objects (__call_tls_dtors) and those of thread-specific
 * data (pthread_key_create, tss_create), in glibc's order and rounds. A
 * destructor that takes a lock is then modelled like any other code; glibc's
 * own pass, later, finds nothing left to do. Only then does the thread exit
 * in the model.
 *
 * main is run the same way, so that pthread_exit from main runs main's
 * thread-specific-data destructors under control too, and the process lives
 * on until its last thread ends (glibc then calls exit(0) in that thread,
 * outside weft's control: no thread is left to interleave with). */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "runtime.h"

#include <dlfcn.h>
#include <link.h>
#include <string.h>
#include <limits.h>
#include <pthread.h>
#include <threads.h>

void weft__set_self(struct weft_thread *t);

/* Destructors of the keys created so far, by key; keys are few and small
 * numbers (glibc allocates the lowest free one). */
static void (*key_destructor[PTHREAD_KEYS_MAX])(void *);
static unsigned keys_end; /* one past the highest key that has a destructor */

static void record_key(unsigned key, void (*destructor)(void *))
{
	if (key >= PTHREAD_KEYS_MAX)
		return;
	__atomic_store_n(&key_destructor[key], destructor, __ATOMIC_RELEASE);
	if (destructor && key >= __atomic_load_n(&keys_end, __ATOMIC_ACQUIRE))
		__atomic_store_n(&keys_end, key + 1, __ATOMIC_RELEASE);
}

/* Keys are recorded whether or not weft controls the caller: a library may
 * create its keys before main. */
int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	weft__real_init();
	int rc = weft__real.pthread_key_create(key, destructor);
	if (rc == 0)
		record_key(*key, destructor);
	return rc;
}

int pthread_key_delete(pthread_key_t key)
{
	weft__real_init();
	int rc = weft__real.pthread_key_delete(key);
	if (rc == 0)
		record_key(key, NULL);
	return rc;
}

int tss_create(tss_t *key, tss_dtor_t destructor)
{
	weft__real_init();
	int rc = weft__real.tss_create(key, destructor);
	if (rc == thrd_success)
		record_key(*key, destructor);
	return rc;
}

void tss_delete(tss_t key)
{
	weft__real_init();
	weft__real.tss_delete(key);
	record_key(key, NULL);
}

/* glibc's __nptl_deallocate_tsd: in rounds, every key in order whose value
 * is set is cleared and its destructor called with the old value, until a
 * round calls none or PTHREAD_DESTRUCTOR_ITERATIONS rounds have run; what is
 * still set then is cleared without a call. */
static void run_key_destructors(void)
{
	unsigned end = __atomic_load_n(&keys_end, __ATOMIC_ACQUIRE);
	for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
		bool called = false;
		for (unsigned k = 0; k < end; k++) {
			void (*destructor)(void *) =
			    __atomic_load_n(&key_destructor[k], __ATOMIC_ACQUIRE);
			void *value = destructor ? pthread_getspecific(k) : NULL;
			if (!value)
				continue;
			pthread_setspecific(k, NULL);
			destructor(value);
			called = true;
		}
		if (!called)
			return;
		end = __atomic_load_n(&keys_end, __ATOMIC_ACQUIRE);
	}
	for (unsigned k = 0; k < end; k++)
		if (key_destructor[k] && pthread_getspecific(k))
			pthread_setspecific(k, NULL);
}

/* glibc's own list of C++ thread_local destructors of the calling thread. */
static void (*call_tls_dtors)(void);
static bool resolved;

static void resolve_tls_destructors(void)
{
	if (!resolved) {
		*(void **)&call_tls_dtors =
		    dlvsym(RTLD_DEFAULT, "__call_tls_dtors", "GLIBC_PRIVATE");
		resolved = true;
	}
}

/* Looked up once by the fork server, not by every execution. */
void weft__thread_end_prepare(void)
{
	resolve_tls_destructors();
}

static void run_tls_destructors(void)
{
	resolve_tls_destructors();
	if (call_tls_dtors)
		call_tls_dtors();
}

/* The cleanup handler of every thread weft starts (and of main): also run
 * on a plain return, by pthread_cleanup_pop(1). */
static void thread_end(void *arg)
{
	struct weft_thread *me = weft__self();
	if (!me || me->exited || !weft__rt.active)
		return;
	/* Requests that come now are not acted on: glibc marks the thread
	 * exiting once its start routine is done or it unwinds. */
	me->unwinding = true;
	if (arg)
		run_tls_destructors();
	run_key_destructors();
	weft__thread_finish();
}

static void *call_start(struct weft_thread *me)
{
	return me->start(me->start_arg);
}

void *weft__thread_run(struct weft_thread *me)
{
	void *ret = NULL;
	pthread_cleanup_push(thread_end, me);
	ret = call_start(me);
	weft__exec_set_result(me, ret);
	pthread_cleanup_pop(1);
	return ret;
}

static int call_main(int (*main_fn)(int, char **, char **), int argc, char **argv, char **envp)
{
	return main_fn(argc, argv, envp);
}

int weft__run_main(int (*main_fn)(int, char **, char **), int argc, char **argv, char **envp)
{
	int status = 0;
	/* glibc runs no thread_local destructors for main on pthread_exit:
	 * NULL says so to thread_end. A return from main is not an end of
	 * the thread: the process exit follows (process_exit.c). */
	pthread_cleanup_push(thread_end, NULL);
	status = call_main(main_fn, argc, argv, envp);
	pthread_cleanup_pop(0);
	return status;
}

/* Where libgcc_s, the unwinder glibc uses for pthread_exit and
 * cancellation, lies: its pthread_once calls (it sets a table up on every
 * unwinding) are its own business, not the program's. */
static uintptr_t unwinder_lo, unwinder_hi;

static int find_unwinder(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	if (!info->dlpi_name || !strstr(info->dlpi_name, "libgcc_s."))
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;
		if (!unwinder_lo || a < unwinder_lo)
			unwinder_lo = a;
		if (a + ph->p_memsz > unwinder_hi)
			unwinder_hi = a + ph->p_memsz;
	}
	return 1;
}

bool weft__from_unwinder(uintptr_t pc)
{
	static bool searched;
	if (!searched) {
		dl_iterate_phdr(find_unwinder, NULL);
		searched = true;
	}
	return pc >= unwinder_lo && pc < unwinder_hi;
}
