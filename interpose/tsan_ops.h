/* The real atomic operations behind the __tsan_atomic* entry points, and
 * the generator of the entry points themselves, shared by the stand-alone
 * library (tsan_default.c: the real operation and nothing else) and the
 * runtime (tsan_atomics.c: a scheduling point and the detector's clocks
 * around it). A user defines the four bodies before WEFT_TSAN_DEFINE_ENTRIES:
 *   WEFT_TSAN_BODY_LOAD(bits, T, a, mo)            the value loaded
 *   WEFT_TSAN_BODY_STORE(bits, T, a, v, mo)
 *   WEFT_TSAN_BODY_RMW(bits, T, name, a, v, mo)    the old value
 *   WEFT_TSAN_BODY_CAS(bits, T, a, c, v, mo, fmo)  the old value
 * Every real operation is sequentially consistent, whatever order the
 * program asked for: always correct, and what weft explores anyway. */
#ifndef WEFT_TSAN_OPS_H
#define WEFT_TSAN_OPS_H

#include <stdint.h>

#include "tsan_atomics.def"

#define WEFT_TSAN_LOAD_NARROW(T, a) __atomic_load_n(a, __ATOMIC_SEQ_CST)
#define WEFT_TSAN_LOAD_WIDE(T, a) __sync_val_compare_and_swap((volatile T *)(a), (T)0, (T)0)
#define WEFT_TSAN_RMW_NARROW(T, a, v, builtin, expr) builtin(a, v, __ATOMIC_SEQ_CST)
#define WEFT_TSAN_RMW_WIDE(T, a, v, builtin, expr)                                                 \
	({                                                                                         \
		T old = *(a), seen;                                                                \
		while ((seen = __sync_val_compare_and_swap(a, old, (T)(expr))) != old)             \
			old = seen;                                                                \
		old;                                                                               \
	})
#define WEFT_TSAN_STORE_NARROW(T, a, v) __atomic_store_n(a, v, __ATOMIC_SEQ_CST)
#define WEFT_TSAN_STORE_WIDE(T, a, v) ((void)WEFT_TSAN_RMW_WIDE(T, a, v, _, v))

/* weft_tsan_load32(a), weft_tsan_store32(a, v), weft_tsan_cas32(a, c, v)
 * (returns the old value), weft_tsan_fetch_add32(a, v), ... */
#define WEFT_TSAN_DEFINE_REAL(bits, T, how, unused)                                                \
	static inline T weft_tsan_load##bits(const volatile T *a)                                  \
	{                                                                                          \
		return WEFT_TSAN_LOAD_##how(T, a);                                                 \
	}                                                                                          \
	static inline void weft_tsan_store##bits(volatile T *a, T v)                               \
	{                                                                                          \
		WEFT_TSAN_STORE_##how(T, a, v);                                                    \
	}                                                                                          \
	static inline T weft_tsan_cas##bits(volatile T *a, T c, T v)                               \
	{                                                                                          \
		return __sync_val_compare_and_swap(a, c, v);                                       \
	}
#define WEFT_TSAN_DEFINE_REAL_RMW(name, builtin, expr, bits, T, how)                               \
	static inline T weft_tsan_##name##bits(volatile T *a, T v)                                 \
	{                                                                                          \
		return WEFT_TSAN_RMW_##how(T, a, v, builtin, expr);                                \
	}
#define WEFT_TSAN_PER_WIDTH(bits, T, how, M) WEFT_TSAN_RMWS(M, bits, T, how)

WEFT_TSAN_WIDTHS(WEFT_TSAN_DEFINE_REAL, _)
WEFT_TSAN_WIDTHS(WEFT_TSAN_PER_WIDTH, WEFT_TSAN_DEFINE_REAL_RMW)

/* The entry points, with the ABI's signatures (the memory order is an int:
 * relaxed 0, consume 1, acquire 2, release 3, acq_rel 4, seq_cst 5). */
#define WEFT_TSAN_DEFINE_ENTRY(bits, T, how, unused)                                               \
	T __tsan_atomic##bits##_load(const volatile T *a, int mo)                                  \
	{                                                                                          \
		return WEFT_TSAN_BODY_LOAD(bits, T, a, mo);                                        \
	}                                                                                          \
	void __tsan_atomic##bits##_store(volatile T *a, T v, int mo)                               \
	{                                                                                          \
		WEFT_TSAN_BODY_STORE(bits, T, a, v, mo);                                           \
	}                                                                                          \
	T __tsan_atomic##bits##_compare_exchange_val(volatile T *a, T c, T v, int mo, int fmo)     \
	{                                                                                          \
		return WEFT_TSAN_BODY_CAS(bits, T, a, c, v, mo, fmo);                              \
	}                                                                                          \
	int __tsan_atomic##bits##_compare_exchange_strong(volatile T *a, T *c, T v, int mo,        \
	                                                  int fmo)                                 \
	{                                                                                          \
		T expected = *c, seen = WEFT_TSAN_BODY_CAS(bits, T, a, expected, v, mo, fmo);      \
		if (seen == expected)                                                              \
			return 1;                                                                  \
		*c = seen;                                                                         \
		return 0;                                                                          \
	}                                                                                          \
	/* never fails spuriously: a strong compare-exchange is a weak one too */                  \
	int __tsan_atomic##bits##_compare_exchange_weak(volatile T *a, T *c, T v, int mo, int fmo) \
	{                                                                                          \
		T expected = *c, seen = WEFT_TSAN_BODY_CAS(bits, T, a, expected, v, mo, fmo);      \
		if (seen == expected)                                                              \
			return 1;                                                                  \
		*c = seen;                                                                         \
		return 0;                                                                          \
	}
#define WEFT_TSAN_DEFINE_RMW_ENTRY(name, builtin, expr, bits, T, how)                              \
	T __tsan_atomic##bits##_##name(volatile T *a, T v, int mo)                                 \
	{                                                                                          \
		return WEFT_TSAN_BODY_RMW(bits, T, name, a, v, mo);                                \
	}
#define WEFT_TSAN_DEFINE_ENTRIES()                                                                 \
	WEFT_TSAN_WIDTHS(WEFT_TSAN_DEFINE_ENTRY, _)                                                \
	WEFT_TSAN_WIDTHS(WEFT_TSAN_PER_WIDTH, WEFT_TSAN_DEFINE_RMW_ENTRY)

/* Every other entry point: plain accesses of each width (aligned,
 * unaligned, volatile, the compound read-write some clang versions emit,
 * and the _pc forms that name the access's pc), ranges, C++ vtable pointer
 * reads and updates, function entry and exit. The user defines
 *   WEFT_TSAN_BODY_ACCESS(addr, size, is_write, pc)
 *   WEFT_TSAN_BODY_VPTR_UPDATE(slot, value, pc)
 *   WEFT_TSAN_BODY_FUNC_ENTRY(pc), WEFT_TSAN_BODY_FUNC_EXIT() */
#define WEFT_TSAN_CALLER ((uintptr_t)__builtin_return_address(0))
#define WEFT_TSAN_DEFINE_SIZED(n)                                                                  \
	void __tsan_read##n(void *a)                                                               \
	{                                                                                          \
		WEFT_TSAN_BODY_ACCESS(a, n, 0, WEFT_TSAN_CALLER);                                  \
	}                                                                                          \
	void __tsan_write##n(void *a)                                                              \
	{                                                                                          \
		WEFT_TSAN_BODY_ACCESS(a, n, 1, WEFT_TSAN_CALLER);                                  \
	}                                                                                          \
	void __tsan_unaligned_read##n(const void *a)                                               \
	{                                                                                          \
		WEFT_TSAN_BODY_ACCESS(a, n, 0, WEFT_TSAN_CALLER);                                  \
	}                                                                                          \
	void __tsan_unaligned_write##n(void *a)                                                    \
	{                                                                                          \
		WEFT_TSAN_BODY_ACCESS(a, n, 1, WEFT_TSAN_CALLER);                                  \
	}                                                                                          \
	void __tsan_volatile_read##n(void *a)                                                      \
	{                                                                                          \
		WEFT_TSAN_BODY_ACCESS(a, n, 0, WEFT_TSAN_CALLER);                                  \
	}                                                                                          \
	void __tsan_volatile_write##n(void *a)                                                     \
	{                                                                                          \
		WEFT_TSAN_BODY_ACCESS(a, n, 1, WEFT_TSAN_CALLER);                                  \
	}                                                                                          \
	void __tsan_unaligned_volatile_read##n(void *a)                                            \
	{                                                                                          \
		WEFT_TSAN_BODY_ACCESS(a, n, 0, WEFT_TSAN_CALLER);                                  \
	}                                                                                          \
	void __tsan_unaligned_volatile_write##n(void *a)                                           \
	{                                                                                          \
		WEFT_TSAN_BODY_ACCESS(a, n, 1, WEFT_TSAN_CALLER);                                  \
	}                                                                                          \
	void __tsan_read_write##n(void *a)                                                         \
	{                                                                                          \
		WEFT_TSAN_BODY_ACCESS(a, n, 1, WEFT_TSAN_CALLER);                                  \
	}                                                                                          \
	void __tsan_read##n##_pc(void *a, void *pc)                                                \
	{                                                                                          \
		WEFT_TSAN_BODY_ACCESS(a, n, 0, (uintptr_t)pc);                                     \
	}                                                                                          \
	void __tsan_write##n##_pc(void *a, void *pc)                                               \
	{                                                                                          \
		WEFT_TSAN_BODY_ACCESS(a, n, 1, (uintptr_t)pc);                                     \
	}

#define WEFT_TSAN_DEFINE_PLAIN()                                                                   \
	WEFT_TSAN_DEFINE_SIZED(1)                                                                  \
	WEFT_TSAN_DEFINE_SIZED(2)                                                                  \
	WEFT_TSAN_DEFINE_SIZED(4)                                                                  \
	WEFT_TSAN_DEFINE_SIZED(8)                                                                  \
	WEFT_TSAN_DEFINE_SIZED(16)                                                                 \
	void __tsan_read_range(void *a, unsigned long n)                                           \
	{                                                                                          \
		WEFT_TSAN_BODY_ACCESS(a, n, 0, WEFT_TSAN_CALLER);                                  \
	}                                                                                          \
	void __tsan_write_range(void *a, unsigned long n)                                          \
	{                                                                                          \
		WEFT_TSAN_BODY_ACCESS(a, n, 1, WEFT_TSAN_CALLER);                                  \
	}                                                                                          \
	void __tsan_read_range_pc(void *a, unsigned long n, void *pc)                              \
	{                                                                                          \
		WEFT_TSAN_BODY_ACCESS(a, n, 0, (uintptr_t)pc);                                     \
	}                                                                                          \
	void __tsan_write_range_pc(void *a, unsigned long n, void *pc)                             \
	{                                                                                          \
		WEFT_TSAN_BODY_ACCESS(a, n, 1, (uintptr_t)pc);                                     \
	}                                                                                          \
	void __tsan_vptr_read(void **slot)                                                         \
	{                                                                                          \
		WEFT_TSAN_BODY_ACCESS(slot, sizeof *slot, 0, WEFT_TSAN_CALLER);                    \
	}                                                                                          \
	void __tsan_vptr_update(void **slot, void *value)                                          \
	{                                                                                          \
		WEFT_TSAN_BODY_VPTR_UPDATE(slot, value, WEFT_TSAN_CALLER);                         \
	}                                                                                          \
	void __tsan_func_entry(void *pc)                                                           \
	{                                                                                          \
		WEFT_TSAN_BODY_FUNC_ENTRY((uintptr_t)pc);                                          \
	}                                                                                          \
	void __tsan_func_exit(void)                                                                \
	{                                                                                          \
		WEFT_TSAN_BODY_FUNC_EXIT();                                                        \
	}                                                                                          \
	/* no per-thread ignores: accesses inside such regions are checked */                      \
	void __tsan_ignore_thread_begin(void)                                                      \
	{                                                                                          \
	}                                                                                          \
	void __tsan_ignore_thread_end(void)                                                        \
	{                                                                                          \
	}

#endif
