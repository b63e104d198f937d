/* The real functions behind every interceptor, resolved once from the
 * tables in interceptors.def and unsupported.def. The runtime never calls
 * a function it intercepts by name; it calls weft__real.NAME. */
#ifndef WEFT_REAL_H
#define WEFT_REAL_H

#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

struct weft_real_table {
#define X(ret, name, params, version) ret(*name) params;
#include "interceptors.def"
#undef X
#define X(ret, name, params, args) ret(*name) params;
#include "unsupported.def"
#undef X
};

extern struct weft_real_table weft__real;

/* Resolves every entry; safe to call more than once and from any hook. */
void weft__real_init(void);

#endif
