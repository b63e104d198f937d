/* Interceptors the execution layer needs: questions about a thread that
 * glibc cannot answer for a fiber, whose stack glibc did not make. */
#define _GNU_SOURCE
#include "exec_layer.h"
#include "hooks.h"

int pthread_getattr_np(pthread_t thread, pthread_attr_t *attr)
{
	struct weft_thread *t;
	if (weft__rt.active && weft__exec_mode() == WEFT_EXEC_FIBER &&
	    (t = weft__thread_by_handle(thread)) && t->id != 0)
		return weft__exec_getattr(t, attr);
	return weft__real.pthread_getattr_np(thread, attr);
}
