/* The runtime's atomic entry points of ThreadSanitizer's ABI. Preloaded,
 * libweft.so comes first in the lookup order, so an instrumented program
 * linked against libweft-tsan.so calls these under `weft run`. For a
 * thread weft controls, each is a scheduling point, then the real
 * operation, then the model's bookkeeping (model_atomic.c); otherwise just
 * the real operation, as libweft-tsan.so does. */
#define _GNU_SOURCE
#include "model_atomic.h"
#include "tsan_ops.h"

#define CALLER ((uintptr_t)__builtin_return_address(0))

#define WEFT_TSAN_BODY_LOAD(bits, T, a, mo)                                                        \
	({                                                                                         \
		T value_;                                                                          \
		if (weft__atomic_controlled()) {                                                   \
			struct weft_object *o_ =                                                   \
			    weft__atomic_begin(a, WEFT_OP_ATOMIC_LOAD, CALLER);                    \
			value_ = weft_tsan_load##bits(a);                                          \
			weft__atomic_loaded(o_, mo);                                               \
		} else {                                                                           \
			value_ = weft_tsan_load##bits(a);                                          \
		}                                                                                  \
		value_;                                                                            \
	})

#define WEFT_TSAN_BODY_STORE(bits, T, a, v, mo)                                                    \
	do {                                                                                       \
		if (weft__atomic_controlled()) {                                                   \
			struct weft_object *o_ =                                                   \
			    weft__atomic_begin(a, WEFT_OP_ATOMIC_STORE, CALLER);                   \
			weft_tsan_store##bits(a, v);                                               \
			weft__atomic_stored(o_, mo);                                               \
		} else {                                                                           \
			weft_tsan_store##bits(a, v);                                               \
		}                                                                                  \
	} while (0)

#define WEFT_TSAN_BODY_RMW(bits, T, name, a, v, mo)                                                \
	({                                                                                         \
		T old_;                                                                            \
		if (weft__atomic_controlled()) {                                                   \
			struct weft_object *o_ =                                                   \
			    weft__atomic_begin(a, WEFT_OP_ATOMIC_RMW, CALLER);                     \
			old_ = weft_tsan_##name##bits(a, v);                                       \
			weft__atomic_rmw_done(o_, mo, weft_tsan_load##bits(a) != old_);            \
		} else {                                                                           \
			old_ = weft_tsan_##name##bits(a, v);                                       \
		}                                                                                  \
		old_;                                                                              \
	})

#define WEFT_TSAN_BODY_CAS(bits, T, a, c, v, mo, fmo)                                              \
	({                                                                                         \
		T old_;                                                                            \
		if (weft__atomic_controlled()) {                                                   \
			struct weft_object *o_ =                                                   \
			    weft__atomic_begin(a, WEFT_OP_ATOMIC_CAS, CALLER);                     \
			old_ = weft_tsan_cas##bits(a, c, v);                                       \
			if (old_ == (c))                                                           \
				weft__atomic_rmw_done(o_, mo, old_ != (v));                        \
			else                                                                       \
				weft__atomic_cas_failed(o_, fmo);                                  \
		} else {                                                                           \
			old_ = weft_tsan_cas##bits(a, c, v);                                       \
		}                                                                                  \
		old_;                                                                              \
	})

WEFT_TSAN_DEFINE_ENTRIES()

void __tsan_atomic_thread_fence(int mo)
{
	if (weft__atomic_controlled())
		weft__race_fence(mo);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void __tsan_atomic_signal_fence(int mo)
{
	(void)mo;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}
