/* glibc thread control blocks for fibers. A fiber is a thread to glibc
 * when its thread pointer points at a struct pthread of its own: errno,
 * __thread variables, pthread_self, the malloc cache and stdio are then
 * per fiber. The loader's private _dl_allocate_tls makes one with the TLS
 * initial images copied in; the words of the header that a thread inherits
 * (the stack-protector and pointer-guard values, the system-call entry)
 * are copied from the creating thread. Field offsets come from the
 * descriptors glibc exports for libthread_db, or are found by watching
 * glibc write them, never from a hard-coded layout. */
#define _GNU_SOURCE
#include "fiber_tcb.h"

#include <asm/prctl.h>
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The header words at the start of struct pthread (tcbhead_t on x86-64):
 * tcb 0, dtv 8, self 16, multiple_threads 24, sysinfo 32, stack guard 40,
 * pointer guard 48. */
#define TCB_SELF_OFFSET 16
#define TCB_INHERITED_FROM 24
#define TCB_INHERITED_TO 56
#define TCB_DTV_OFFSET 8

struct key_slot { /* glibc's struct pthread_key_struct */
	uintptr_t seq;
	void (*destructor)(void *);
};

static void *(*allocate_tls)(void *);
static void (*deallocate_tls)(void *, bool);
static void (*call_tls_dtors)(void);
static struct key_slot *keys;
static size_t sizeof_pthread, tid_offset, landing_offset, static_tls_size;
static bool have_fsgsbase;

/* TCBs of ended fibers, to re-initialise; and fresh ones made ahead (by
 * the fork server, before its first fork). */
#define POOL_MAX 64
static void *pool[POOL_MAX], *fresh[POOL_MAX];
static unsigned pooled, nfresh;

static void *private_symbol(const char *name)
{
	return dlvsym(RTLD_DEFAULT, name, "GLIBC_PRIVATE");
}

/* The offset of a struct pthread field from its libthread_db descriptor
 * {size in bits, count, offset}. */
static size_t field_offset(const char *name)
{
	const uint32_t *desc = private_symbol(name);
	return desc ? desc[2] : 0;
}

/* Where glibc keeps the innermost cleanup buffer (start_thread's buffer,
 * the landing of pthread_exit): registering a buffer writes its address
 * there, which a scan of the calling thread's block finds. */
static size_t find_landing_offset(void)
{
	__pthread_unwind_buf_t buf;
	memset(&buf, 0, sizeof buf);
	__pthread_register_cancel(&buf);
	char *self = weft__tcb_current();
	size_t found = 0;
	for (size_t off = TCB_INHERITED_TO; off + sizeof(void *) <= sizeof_pthread;
	     off += sizeof(void *))
		if (*(void **)(self + off) == &buf) {
			found = off;
			break;
		}
	__pthread_unregister_cancel(&buf);
	return found;
}

bool weft__tcb_init(const char **why)
{
	if (allocate_tls)
		return true;
	/* WEFT_FIBER_ARCH_PRCTL=1 takes the system-call path even where the
	 * CPU has wrfsbase, so that the tests cover it. */
	have_fsgsbase = (getauxval(AT_HWCAP2) & 2) != 0 && !getenv("WEFT_FIBER_ARCH_PRCTL");
	*(void **)&deallocate_tls = private_symbol("_dl_deallocate_tls");
	*(void **)&call_tls_dtors = private_symbol("__call_tls_dtors");
	keys = private_symbol("__pthread_keys");
	const uint32_t *size = private_symbol("_thread_db_sizeof_pthread");
	sizeof_pthread = size ? *size : 0;
	tid_offset = field_offset("_thread_db_pthread_tid");
	landing_offset = sizeof_pthread ? find_landing_offset() : 0;
	if (!deallocate_tls || !call_tls_dtors || !keys || !sizeof_pthread || !tid_offset ||
	    !landing_offset) {
		*why = "this C library does not offer the private thread interfaces fibers need "
		       "(glibc 2.34 or later does)";
		return false;
	}
	void (*tls_static_info)(size_t *, size_t *);
	*(void **)&tls_static_info = private_symbol("_dl_get_tls_static_info");
	size_t align;
	if (tls_static_info)
		tls_static_info(&static_tls_size, &align);
	*(void **)&allocate_tls = private_symbol("_dl_allocate_tls");
	if (!allocate_tls) {
		*why = "the loader does not offer _dl_allocate_tls";
		return false;
	}
	return true;
}

void *weft__tcb_current(void)
{
	void *tcb;
	__asm__ volatile("mov %%fs:0, %0" : "=r"(tcb));
	return tcb;
}

void weft__tcb_switch_to(void *tcb)
{
	if (have_fsgsbase)
		__asm__ volatile("wrfsbase %0" ::"r"(tcb) : "memory");
	else if (tcb != weft__tcb_current()) /* a system call of microseconds */
		syscall(SYS_arch_prctl, ARCH_SET_FS, tcb);
}

static void inherit_header(char *tcb)
{
	char *me = weft__tcb_current();
	*(void **)tcb = tcb;
	*(void **)(tcb + TCB_SELF_OFFSET) = tcb;
	memcpy(tcb + TCB_INHERITED_FROM, me + TCB_INHERITED_FROM,
	       TCB_INHERITED_TO - TCB_INHERITED_FROM);
	/* The kernel thread's id: glibc reads it to tell a live thread. */
	memcpy(tcb + tid_offset, me + tid_offset, sizeof(pid_t));
}

void *weft__tcb_get(void)
{
	char *tcb;
	if (nfresh) {
		tcb = fresh[--nfresh];
	} else if (pooled) {
		tcb = pool[--pooled];
		/* A fresh thread's struct pthread is zero but for its header;
		 * re-allocating in place re-copies the TLS initial images. */
		deallocate_tls(tcb, false);
		memset(tcb, 0, sizeof_pthread);
		tcb = allocate_tls(tcb);
	} else {
		tcb = allocate_tls(NULL);
	}
	if (tcb)
		inherit_header(tcb);
	return tcb;
}

void weft__tcb_block(void *tcb, uintptr_t *lo, size_t *size)
{
	/* x86-64 puts the TCB at the top of the static TLS block, whose size
	 * counts the TCB (glibc's _dl_allocate_tls_storage). */
	uintptr_t end = (uintptr_t)tcb + sizeof_pthread;
	*size = static_tls_size > sizeof_pthread ? static_tls_size : sizeof_pthread;
	*lo = end - *size;
}

void weft__tcb_prepare(unsigned n)
{
	while (nfresh < n && nfresh < POOL_MAX) {
		void *tcb = allocate_tls(NULL);
		if (!tcb)
			return;
		fresh[nfresh++] = tcb;
	}
}

void weft__tcb_put(void *tcb)
{
	if (pooled < POOL_MAX)
		pool[pooled++] = tcb;
	else
		deallocate_tls(tcb, true);
}

void weft__tcb_set_exit_landing(void *buf)
{
	*(void **)((char *)weft__tcb_current() + landing_offset) = buf;
}

void weft__tcb_run_destructors(void)
{
	call_tls_dtors();
	/* As glibc's __nptl_deallocate_tsd: a destructor may set values
	 * again, so go round at most PTHREAD_DESTRUCTOR_ITERATIONS times.
	 * pthread_key_create takes the lowest free slot, so the slots ever
	 * used are a prefix of the table: the scan stops at the first slot
	 * never used (sequence number 0). */
	for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
		bool again = false;
		for (unsigned k = 0; k < PTHREAD_KEYS_MAX && keys[k].seq != 0; k++) {
			if (!(keys[k].seq & 1) || !keys[k].destructor)
				continue;
			void *value = pthread_getspecific(k);
			if (!value)
				continue;
			pthread_setspecific(k, NULL);
			keys[k].destructor(value);
			again = true;
		}
		if (!again)
			break;
	}
}
