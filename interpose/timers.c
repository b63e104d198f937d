/* Timers on the virtual clock: alarm, setitimer and ualarm, and the POSIX
 * timers of timer_create, all expire at a deadline on the one virtual
 * timeline (clock.c). The scheduler counts an armed timer among the
 * deadlines it may jump the clock to when no thread can run, and fires the
 * timers that are due at each decision; so a timer expires at the same
 * virtual moment, and between the same two steps, whenever the execution
 * follows the same schedule.
 *
 * Firing does not hand the signal to the kernel at once (which would pick
 * a thread by itself). It is "raised": kept here, with its information,
 * until a thread takes it at a scheduling point:
 *   - the running thread takes it at the entry of its next scheduling point
 *     (as it would a signal it sent itself), unless it blocks it;
 *   - a thread waiting in a call weft controls, which does not block it,
 *     may be chosen to run the handler inside its wait (a WEFT_OP_SIGNAL
 *     step, explored against every other step like any choice); the wait
 *     then goes on (a mutex, a condition, a join restart as in glibc),
 *     except a sleep, pause, sigsuspend, sigwaitinfo and sigtimedwait,
 *     which return early (EINTR, the time left; sigwait waits on);
 *   - sigwait, sigwaitinfo and sigtimedwait take a raised signal of their
 *     set as their result.
 * Taking a signal queues it to the taking thread itself
 * (rt_tgsigqueueinfo) and opens the program's mask for it, so the kernel
 * runs the program's handler, with its siginfo, on that thread then and
 * there. A signal without a handler ends the process as it would without
 * weft (its default action, at the moment it fires), unless every thread
 * blocks it or a sigwait waits for it; an ignored one is dropped. A signal
 * already raised and not taken when its timer fires again is not raised
 * twice: the expiry counts as an overrun (timer_getoverrun). */
#define _GNU_SOURCE
#include "timers.h"

#include <limits.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"

static struct weft_timer timers[WEFT_TIMERS];
static bool ever_armed;           /* nothing to do until a timer was armed */
static uint64_t raised;           /* signals fired and not taken yet */
static siginfo_t raised_info[64]; /* what each of them says */

static uint64_t bit(int sig)
{
	return sig > 0 && sig < 64 ? 1ull << sig : 0;
}

struct weft_timer *weft__timer(int i)
{
	return &timers[i];
}

int weft__timer_alloc(void)
{
	for (int i = WEFT_TIMER_FIRST_POSIX; i < WEFT_TIMERS; i++) {
		if (!timers[i].used) {
			memset(&timers[i], 0, sizeof timers[i]);
			timers[i].used = true;
			return i;
		}
	}
	return -1;
}

void weft__timer_arm(struct weft_timer *t, uint64_t expiry, uint64_t interval)
{
	t->armed = expiry != 0;
	t->expiry = expiry;
	t->interval = t->armed ? interval : 0;
	ever_armed |= t->armed;
}

enum disposition { HANDLER, IGNORED, DEFAULT_ACTION };

static enum disposition disposition(int sig)
{
	struct sigaction sa;
	weft__real_init();
	if (weft__real.sigaction(sig, NULL, &sa) != 0 || sa.sa_handler == SIG_IGN)
		return IGNORED;
	if (sa.sa_handler != SIG_DFL)
		return HANDLER;
	switch (sig) {
	case SIGCHLD:
	case SIGURG:
	case SIGWINCH:
	case SIGCONT:
		return IGNORED;
	default:
		return DEFAULT_ACTION;
	}
}

/* The signals among bits that have a handler now. */
static uint64_t with_handler(uint64_t bits)
{
	uint64_t out = 0;
	for (int sig = 1; sig < 64; sig++)
		if ((bits & (1ull << sig)) && disposition(sig) == HANDLER)
			out |= 1ull << sig;
	return out;
}

static bool live(const struct weft_thread *t)
{
	return !t->exited && !t->frozen;
}

static bool sigwaited(int sig)
{
	for (uint32_t i = 0; i < weft__rt.nthreads; i++) {
		const struct weft_thread *t = weft__rt.threads[i];
		if (live(t) && t->op == WEFT_OP_SIGWAIT && (t->sigwait_set & bit(sig)))
			return true;
	}
	return false;
}

/* The program's mask of a waiting thread: noted at its scheduling point,
 * or else, on a kernel thread that waits with the program's own mask (no
 * handler made the runtime block signals when it began to wait), read from
 * /proc (signal_proc.c). False when it cannot be known (a fiber). */
static bool mask_of(struct weft_thread *t, uint64_t *mask)
{
	if (!t->wait_mask_known && weft__proc_mask(t, &t->wait_mask))
		t->wait_mask_known = true;
	*mask = t->wait_mask;
	return t->wait_mask_known;
}

/* Every thread whose mask weft knows blocks sig (and at least one does). */
static bool blocked_everywhere(int sig)
{
	bool known = false;
	for (uint32_t i = 0; i < weft__rt.nthreads; i++) {
		struct weft_thread *t = weft__rt.threads[i];
		uint64_t mask;
		if (!live(t) || !mask_of(t, &mask))
			continue;
		if (!(mask & bit(sig)))
			return false;
		known = true;
	}
	return known;
}

static void queue_to_self(int sig, siginfo_t *info)
{
	syscall(SYS_rt_tgsigqueueinfo, (pid_t)syscall(SYS_getpid), (pid_t)syscall(SYS_gettid), sig,
	        info);
}

/* Run the handlers of the raised signals in `take` on the calling thread,
 * under the program's mask `program`. */
static void deliver(uint64_t take, const sigset_t *program)
{
	if (!take)
		return;
	for (int sig = 1; sig < 64; sig++) {
		if (!(take & (1ull << sig)))
			continue;
		raised &= ~(1ull << sig);
		siginfo_t info = raised_info[sig];
		queue_to_self(sig, &info);
	}
	sigset_t inside;
	pthread_sigmask(SIG_SETMASK, program, &inside); /* the handlers run here */
	pthread_sigmask(SIG_SETMASK, &inside, NULL);
}

/* The default action of a signal nobody blocks or waits for: it happens
 * now, as it would without weft (the process ends, most often). */
static void act_by_default(int sig, siginfo_t *info)
{
	/* The report of the death says which threads wait for good (an alarm
	 * watchdog over a deadlock). */
	for (uint32_t i = 0; i < weft__rt.nthreads; i++)
		if (weft__blocked_forever(weft__rt.threads[i]))
			weft__rt.threads[i]->shared->status = WEFT_THREAD_BLOCKED;
	queue_to_self(sig, info);
	sigset_t one, old;
	sigemptyset(&one);
	sigaddset(&one, sig);
	pthread_sigmask(SIG_UNBLOCK, &one, &old);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void notify(struct weft_timer *t, int slot)
{
	int sig = t->signo;
	if (!bit(sig))
		return;
	if (raised & bit(sig)) {
		t->overrun = t->overrun == INT_MAX ? INT_MAX : t->overrun + 1;
		return;
	}
	siginfo_t info;
	memset(&info, 0, sizeof info);
	info.si_signo = sig;
	info.si_code = t->code;
	if (t->code == SI_TIMER) {
		info.si_value = t->value;
		info.si_overrun = t->overrun;
		info._sifields._timer.si_tid = slot;
	}
	enum disposition d = disposition(sig);
	bool kept = sigwaited(sig) || blocked_everywhere(sig);
	if (d == IGNORED && !kept)
		return;
	if (d == DEFAULT_ACTION && !kept) {
		act_by_default(sig, &info);
		return;
	}
	raised |= bit(sig);
	raised_info[sig] = info;
}

/* Whether firing t now would change anything. */
static bool matters(const struct weft_timer *t)
{
	if (!bit(t->signo) || (raised & bit(t->signo)))
		return false; /* no signal, or only an overrun */
	return disposition(t->signo) != IGNORED || sigwaited(t->signo) ||
	       blocked_everywhere(t->signo);
}

uint64_t weft__timers_next(void)
{
	uint64_t next = UINT64_MAX;
	if (!ever_armed)
		return next;
	for (int i = 0; i < WEFT_TIMERS; i++)
		if (timers[i].armed && timers[i].expiry < next && matters(&timers[i]))
			next = timers[i].expiry;
	return next;
}

void weft__timers_fire(void)
{
	if (!ever_armed)
		return;
	uint64_t now = weft__rt.now;
	for (int i = 0; i < WEFT_TIMERS; i++) {
		struct weft_timer *t = &timers[i];
		if (!t->armed || t->expiry > now)
			continue;
		uint64_t missed = 0;
		if (t->interval) {
			missed = (now - t->expiry) / t->interval;
			uint64_t ahead = (missed + 1) * t->interval;
			if (ahead / t->interval != missed + 1 ||
			    t->expiry + ahead > (uint64_t)WEFT_DEADLINE_MAX_NS)
				t->armed = false; /* the next expiry is past the end of time */
			else
				t->expiry += ahead;
		} else {
			t->armed = false;
		}
		t->overrun = missed > INT_MAX ? INT_MAX : (int)missed;
		notify(t, i);
	}
}

static uint64_t deliverable(uint64_t mask)
{
	uint64_t open = raised & ~mask;
	return open ? with_handler(open) : 0;
}

void weft__timers_at_point(struct weft_thread *me, const struct weft_signal_state *s)
{
	if (!me)
		return;
	if (!ever_armed) {
		/* Noted while it costs nothing (a handler makes the runtime save
		 * the mask): a timer armed later needs to know what this thread
		 * lets through while it waits. */
		me->wait_mask_known = s->active;
		if (s->active)
			me->wait_mask = weft__sigset_bits(&s->mask);
		return;
	}
	sigset_t program;
	if (s->active)
		program = s->mask;
	else
		pthread_sigmask(SIG_BLOCK, NULL, &program);
	me->wait_mask = weft__sigset_bits(&program);
	me->wait_mask_known = true;
	deliver(deliverable(me->wait_mask), &program);
	/* A signal kept when it fired because every thread weft knew of
	 * blocked it, which this one does not block and nobody waits for:
	 * its default action happens now. */
	uint64_t open = raised & ~me->wait_mask;
	for (int sig = 1; open && sig < 64; sig++) {
		if (!(open & (1ull << sig)) || sigwaited(sig) || disposition(sig) == HANDLER)
			continue;
		raised &= ~(1ull << sig);
		if (disposition(sig) == DEFAULT_ACTION)
			act_by_default(sig, &raised_info[sig]);
	}
}

bool weft__timers_can_interrupt(struct weft_thread *t)
{
	uint64_t mask;
	if (!raised || !live(t) || t->unwinding || t->interrupted || weft__rt.exiting ||
	    !mask_of(t, &mask))
		return false;
	switch (t->op) {
	case WEFT_OP_START:
	case WEFT_OP_CALL_RETURN:
	case WEFT_OP_THREAD_EXIT:
	case WEFT_OP_PROCESS_EXIT:
	case WEFT_OP_CANCEL_ACT:
	case WEFT_OP_SPIN:
		return false;
	default:
		return deliverable(t->suspending ? t->suspend_mask : mask) != 0;
	}
}

/* What a handler run inside a wait may change and the wait needs back. */
struct wait_state {
	enum weft_op op;
	struct weft_object *obj;
	struct weft_thread *target;
	bool has_deadline, due, suspending;
	uint64_t deadline, wait_mask, suspend_mask, sigwait_set;
	struct weft_thread_state shared;
};

bool weft__timers_take(struct weft_thread *me)
{
	me->interrupted = false;
	struct wait_state w = {me->op,           me->obj,         me->target,   me->has_deadline,
	                       me->due,          me->suspending,  me->deadline, me->wait_mask,
	                       me->suspend_mask, me->sigwait_set, *me->shared};
	uint64_t mask = me->suspending ? me->suspend_mask : me->wait_mask;
	sigset_t program;
	pthread_sigmask(SIG_BLOCK, NULL, &program);
	weft__sigset_apply_bits(&program, mask);
	/* The handler's own calls are steps of this thread, with no deadline. */
	me->has_deadline = false;
	me->due = false;
	me->suspending = false;
	deliver(deliverable(mask), &program);
	me->op = w.op;
	me->obj = w.obj;
	me->target = w.target;
	me->has_deadline = w.has_deadline;
	me->due = w.due;
	me->deadline = w.deadline;
	me->suspending = w.suspending;
	me->wait_mask = w.wait_mask;
	me->suspend_mask = w.suspend_mask;
	me->sigwait_set = w.sigwait_set;
	int32_t tid = me->shared->tid;
	uint8_t status = me->shared->status;
	uint16_t nheld = me->shared->nheld;
	uint32_t held[WEFT_MAX_HELD];
	memcpy(held, me->shared->held, sizeof held);
	*me->shared = w.shared;
	me->shared->tid = tid;
	me->shared->status = status;
	me->shared->nheld = nheld;
	memcpy(me->shared->held, held, sizeof held);
	if (me->op == WEFT_OP_SLEEP || me->op == WEFT_OP_PAUSE || me->op == WEFT_OP_SIGWAIT) {
		me->eintr = true;
		return false;
	}
	return true;
}

bool weft__timers_may_end_spin(const struct weft_thread *me)
{
	if (!ever_armed)
		return false;
	return weft__timers_next() != UINT64_MAX ||
	       (me->wait_mask_known && deliverable(me->wait_mask) != 0);
}

bool weft__timers_sigwait_ready(const struct weft_thread *t)
{
	return (raised & t->sigwait_set) != 0;
}

int weft__timers_sigwait_take(uint64_t set, siginfo_t *info)
{
	uint64_t ready = raised & set;
	for (int sig = 1; sig < 64; sig++) {
		if (ready & (1ull << sig)) {
			raised &= ~(1ull << sig);
			if (info)
				*info = raised_info[sig];
			return sig;
		}
	}
	return 0;
}
