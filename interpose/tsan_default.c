/* libweft-tsan.so: ThreadSanitizer's instrumentation ABI without
 * ThreadSanitizer. A test compiled with -fsanitize=thread and linked
 * against this library (instead of libtsan) runs correctly on its own:
 * every atomic entry point performs its operation for real (sequentially
 * consistent), and every plain-access, range, vtable and function hook
 * does nothing.
 *
 * Under `weft run`, the preloaded runtime (libweft.so) defines the same
 * symbols and, coming first in the lookup order, receives every call
 * instead (tsan_entry.c, tsan_atomics.c): there atomics are scheduling
 * points and accesses are checked for data races. Nothing here knows about
 * weft, and the library needs nothing but the compiler's builtins. */
#include <stdint.h>

#include "tsan_ops.h"

#define WEFT_TSAN_BODY_LOAD(bits, T, a, mo) ((void)(mo), weft_tsan_load##bits(a))
#define WEFT_TSAN_BODY_STORE(bits, T, a, v, mo) ((void)(mo), weft_tsan_store##bits(a, v))
#define WEFT_TSAN_BODY_RMW(bits, T, name, a, v, mo) ((void)(mo), weft_tsan_##name##bits(a, v))
#define WEFT_TSAN_BODY_CAS(bits, T, a, c, v, mo, fmo)                                              \
	((void)(mo), (void)(fmo), weft_tsan_cas##bits(a, c, v))
WEFT_TSAN_DEFINE_ENTRIES()

#define WEFT_TSAN_BODY_ACCESS(addr, size, is_write, pc) ((void)(addr), (void)(size), (void)(pc))
#define WEFT_TSAN_BODY_VPTR_UPDATE(slot, value, pc) ((void)(slot), (void)(value), (void)(pc))
#define WEFT_TSAN_BODY_FUNC_ENTRY(pc) ((void)(pc))
#define WEFT_TSAN_BODY_FUNC_EXIT() ((void)0)
WEFT_TSAN_DEFINE_PLAIN()

void __tsan_init(void)
{
}

void __tsan_atomic_thread_fence(int mo)
{
	(void)mo;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void __tsan_atomic_signal_fence(int mo)
{
	(void)mo;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* The annotation API (happens-before edges named by address): nothing to
 * order when nothing is checked. */
void __tsan_acquire(void *addr)
{
	(void)addr;
}

void __tsan_release(void *addr)
{
	(void)addr;
}
