/* Preempting spin-waits in uninstrumented programs. Each controlled thread
 * has a timer on its own CPU clock that sends it WEFT_SPIN_SIGNAL every
 * quantum of CPU time; a thread that is parked waiting for its turn uses
 * no CPU and gets none. The handler does nothing unless the thread holds
 * the turn, made no visible step since the last signal, and was interrupted
 * in the program's own code (its executable and non-system libraries: never
 * libc, the loader or weft, whose state may be half-changed).
 *
 * Then it samples the thread's state (general and vector registers and the
 * stack around the stack pointer) a few times, a fraction of a millisecond
 * apart. A state seen twice means the thread goes round a loop that changes
 * nothing it can see: it is spinning, and it waits for another thread, so
 * it gives way (scheduling point `spin` at the interrupted instruction).
 * Because the decision rests on the state repeating, not on timing, a
 * replay preempts at the same visible step. When no other thread can ever
 * run, the same repeat is a livelock, reported with the loop's stack. A
 * loop that counts never repeats; it is preempted after a longer CPU time
 * (WEFT_SPIN_FALLBACK_NS), which depends on speed: README, "Spin-waits". */
#define _GNU_SOURCE
#include "spin.h"
#include "exec_layer.h"
#include "self_pid.h"
#include "timers.h"

#include <errno.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <unwind.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#define SAMPLES 16
#define MAX_RANGES 32

struct spin_state {
	int tick_timer, sample_timer; /* kernel timer ids; sample_timer -1 until needed */
	uint32_t steps;               /* shm->nsteps when the thread was last seen stepping */
	uint32_t nsamples, fast;
	uint64_t samples[SAMPLES];
	int64_t suspect_cpu_ns; /* thread CPU time when the suspicion began, -1 none */
	int64_t sampled_cpu_ns; /* thread CPU time at the end of the last sample */
	uint32_t lonely;        /* repeats seen with nobody else able to run */
};

static bool installed;
/* The handler runs with the spin signal deliverable under fibers (see
 * weft__spin_install): a signal that lands inside it, on the same fiber,
 * is dropped. Per fiber, since a fiber that gives way from the handler
 * leaves it unfinished while the next fiber runs and must be watched. */
static __thread bool in_handler __attribute__((tls_model("initial-exec")));
/* Proof that the thread ran since its last sample: the handler returns
 * through weft__spin_resume (spin_resume.S), which sets weft__spin_ran
 * and goes on at weft__spin_resume_pc. Until it has, a sample would show
 * the same state as the last one, a repeat the thread never made: its CPU
 * time also goes on while a virtual machine's CPU is taken away by the
 * host. */
__thread uint8_t weft__spin_ran __attribute__((tls_model("initial-exec")));
__thread uintptr_t weft__spin_resume_pc __attribute__((tls_model("initial-exec")));
static __thread bool resume_marked __attribute__((tls_model("initial-exec")));
void weft__spin_resume(void);
/* Fibers: the one kernel thread's timers, made once per process and kept
 * over every execution it runs (the tick timer is periodic, armed once). */
static struct {
	pid_t pid;
	int tick, sample;
} kernel_timers = {0, -1, -1};
static int64_t quantum_ns = WEFT_SPIN_QUANTUM_NS;
static struct {
	uintptr_t start, end;
} ranges[MAX_RANGES];
static uint32_t nranges;

static bool system_path(const char *path)
{
	static const char *const dirs[] = {"/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/",
	                                   "/usr/libexec/"};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (strncmp(path, dirs[i], strlen(dirs[i])) == 0)
			return true;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return strncmp(base, "libweft", 7) == 0 || strncmp(base, "linux-vdso", 10) == 0 ||
	       strncmp(base, "ld-linux", 8) == 0;
}

static int note_module(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	const char *name = info->dlpi_name;
	bool own = false;
	/* The runtime itself, whatever its file is called. */
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
		if (ph->p_type == PT_LOAD && (uintptr_t)&note_module >= lo &&
		    (uintptr_t)&note_module < lo + ph->p_memsz)
			own = true;
	}
	if (own || (name && *name && system_path(name)))
		return 0;
	for (int i = 0; i < info->dlpi_phnum && nranges < MAX_RANGES; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		ranges[nranges].start = info->dlpi_addr + ph->p_vaddr;
		ranges[nranges].end = ranges[nranges].start + ph->p_memsz;
		nranges++;
	}
	return 0;
}

static bool in_program(uintptr_t pc)
{
	for (uint32_t i = 0; i < nranges; i++)
		if (pc >= ranges[i].start && pc < ranges[i].end)
			return true;
	return false;
}

/* A PLT stub (an indirect jump through the GOT, maybe after endbr64) has
 * no source line: a sample there is retried, as one in libc is. */
static bool in_plt_stub(uintptr_t pc)
{
	/* Read only inside the mapped code: a stub is 6 to 11 bytes long. */
	if (!in_program(pc + 10))
		return false;
	const uint8_t *p = (const uint8_t *)pc;
	if (p[0] == 0xf3 && p[1] == 0x0f && p[2] == 0x1e && p[3] == 0xfa)
		p += 4;
	if (p[0] == 0xf2)
		p++;
	return p[0] == 0xff && p[1] == 0x25;
}

static int64_t thread_cpu_ns(void)
{
	struct timespec ts;
	if (syscall(SYS_clock_gettime, CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static int new_timer(clockid_t clock)
{
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = WEFT_SPIN_SIGNAL;
	sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	int id = -1;
	if (syscall(SYS_timer_create, clock, &sev, &id) != 0)
		return -1;
	return id;
}

static void arm(int timer, int64_t first_ns, int64_t interval_ns)
{
	struct itimerspec its = {
	    .it_interval = {interval_ns / 1000000000ll, interval_ns % 1000000000ll},
	    .it_value = {first_ns / 1000000000ll, first_ns % 1000000000ll},
	};
	syscall(SYS_timer_settime, timer, 0, &its, NULL);
}

/* The thread's state: what a loop that changes nothing shows the same at
 * the same instruction. */
static uint64_t state_hash(const ucontext_t *uc)
{
	const greg_t *g = uc->uc_mcontext.gregs;
	uint64_t h = XXH3_64bits(g, (REG_EFL + 1) * sizeof *g);
	if (uc->uc_mcontext.fpregs)
		h = XXH3_64bits_withSeed(uc->uc_mcontext.fpregs->_xmm,
		                         sizeof uc->uc_mcontext.fpregs->_xmm, h);
	/* The red zone and the frame above it: a loop at -O0 keeps its
	 * variables there, not in registers. Read through the kernel, which
	 * fails where a plain read would fault (a coroutine's stack may end
	 * right above the stack pointer). */
	char window[256];
	struct iovec local = {window, sizeof window};
	struct iovec remote = {(char *)g[REG_RSP] - 128, sizeof window};
	ssize_t n = syscall(SYS_process_vm_readv, getpid(), &local, 1, &remote, 1, 0);
	return n > 0 ? XXH3_64bits_withSeed(window, (size_t)n, h) : h;
}

/* Set in a process that restores in place (weft__spin_prepare_process):
 * what the install does is done already, and the kernel thread's timers
 * exist; both are part of the snapshot. */
static pid_t prepared_pid;

/* The quantum from WEFT_SPIN_QUANTUM_MS, the program's code ranges and
 * the handler: false when the watch is off. */
static bool install(void)
{
	const char *q = getenv("WEFT_SPIN_QUANTUM_MS");
	if (q && *q)
		quantum_ns = (int64_t)(strtod(q, NULL) * 1e6);
	if (quantum_ns <= 0)
		return false;
	nranges = 0;
	dl_iterate_phdr(note_module, NULL);
	extern void weft__spin_signal(int, siginfo_t *, void *);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = weft__spin_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	/* A fiber that gives way from the handler switches to another fiber
	 * on the same kernel thread, which must still be watched: the signal
	 * stays deliverable while the handler runs. */
	if (weft__exec_mode() == WEFT_EXEC_FIBER)
		sa.sa_flags |= SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	/* libc's own entry point, never an interceptor of sigaction that
	 * weft may define for the program's signals. */
	extern int __sigaction(int, const struct sigaction *, struct sigaction *);
	installed = __sigaction(WEFT_SPIN_SIGNAL, &sa, NULL) == 0;
	return true;
}

void weft__spin_install(void)
{
	struct weft_shm *shm = weft__rt.shm;
	shm->limit_error = 0;
	shm->spin_thread = 0;
	shm->spin_nframes = 0;
	if (prepared_pid && prepared_pid == weft__pid())
		return;
	install();
}

static void unblock_signal(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, WEFT_SPIN_SIGNAL);
	syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, NULL, _NSIG / 8);
}

void weft__spin_thread_start(struct weft_thread *t)
{
	if (!installed)
		return;
	/* Fibers share the one kernel thread, hence its CPU clock and timers:
	 * one watch, over whichever fiber runs (a switch is a step, so the
	 * watch starts over at every switch). */
	bool fiber = weft__exec_mode() == WEFT_EXEC_FIBER;
	if (fiber && t->id != 0) {
		t->spin = weft__rt.threads[0]->spin;
		return;
	}
	/* Threads inherit their creator's mask, which a program may have filled
	 * to leave signals to one thread of its own: the spin signal stays
	 * deliverable (a raw system call, past any interceptor). A process
	 * restored in place starts each execution with the snapshot's mask,
	 * which has it unblocked already. */
	bool prepared = fiber && prepared_pid == weft__pid();
	if (!prepared)
		unblock_signal();
	struct spin_state *s = weft__pool_alloc(sizeof *s);
	s->sample_timer = -1;
	s->suspect_cpu_ns = -1;
	t->spin = s;
	if (fiber) {
		/* The kernel thread's timers outlive an execution: a process that
		 * runs several keeps them; only a new process makes its own. */
		pid_t pid = weft__pid();
		if (kernel_timers.pid != pid) {
			kernel_timers.pid = pid;
			kernel_timers.sample = -1;
			kernel_timers.tick = new_timer(CLOCK_THREAD_CPUTIME_ID);
			if (kernel_timers.tick >= 0)
				arm(kernel_timers.tick, quantum_ns, quantum_ns);
		}
		/* Made and armed before the snapshot: it ticks on across
		 * executions, and the first tick of one only starts the watch
		 * (handle()), as a fresh timer's would have a quantum later. */
		s->tick_timer = kernel_timers.tick;
		s->sample_timer = kernel_timers.sample;
		return;
	}
	s->tick_timer = new_timer(CLOCK_THREAD_CPUTIME_ID);
	if (s->tick_timer >= 0)
		arm(s->tick_timer, quantum_ns, quantum_ns);
}

void weft__spin_thread_end(struct weft_thread *t)
{
	struct spin_state *s = t->spin;
	if (!s)
		return;
	t->spin = NULL;
	if (weft__exec_mode() == WEFT_EXEC_FIBER)
		return; /* the other fibers' watch too; it ends with the process */
	if (s->tick_timer >= 0)
		syscall(SYS_timer_delete, s->tick_timer);
	if (s->sample_timer >= 0)
		syscall(SYS_timer_delete, s->sample_timer);
}

void weft__spin_prepare_process(void)
{
	if (weft__exec_mode() != WEFT_EXEC_FIBER || !install())
		return;
	pid_t pid = weft__pid();
	kernel_timers.pid = pid;
	kernel_timers.tick = new_timer(CLOCK_THREAD_CPUTIME_ID);
	kernel_timers.sample = new_timer(CLOCK_MONOTONIC);
	prepared_pid = pid;
	/* Armed once for every execution to come (re-arming a CPU-time timer
	 * at each execution's start cost about a microsecond): a tick between
	 * executions finds no thread and is taken off the queue by the
	 * restore. */
	unblock_signal();
	if (kernel_timers.tick >= 0)
		arm(kernel_timers.tick, quantum_ns, quantum_ns);
}

void weft__spin_branch_child(bool in_place)
{
	struct weft_thread *t0 = weft__rt.nthreads ? weft__rt.threads[0] : NULL;
	struct spin_state *s = t0 ? t0->spin : NULL;
	if (weft__exec_mode() != WEFT_EXEC_FIBER || !installed || !s)
		return;
	pid_t pid = weft__pid();
	kernel_timers.pid = pid;
	kernel_timers.tick = new_timer(CLOCK_THREAD_CPUTIME_ID);
	/* Made now where the memory that holds its id is put back after
	 * every execution; otherwise when first needed, as in any process. */
	kernel_timers.sample = in_place ? new_timer(CLOCK_MONOTONIC) : -1;
	if (kernel_timers.tick >= 0)
		arm(kernel_timers.tick, quantum_ns, quantum_ns);
	/* Every fiber shares thread 0's watch. */
	s->tick_timer = kernel_timers.tick;
	s->sample_timer = kernel_timers.sample;
	if (in_place)
		prepared_pid = pid;
}

void weft__spin_execution_end(void)
{
	/* A process restored in place forgets the timer ids with the memory
	 * that held them: delete the timers first, unless they were made
	 * before the snapshot. */
	struct weft_thread *t0 = weft__rt.nthreads ? weft__rt.threads[0] : NULL;
	struct spin_state *s = t0 ? t0->spin : NULL;
	if (!s)
		return;
	if (prepared_pid == weft__pid()) {
		/* A sample still due would land in the next execution. */
		if (s->fast && kernel_timers.sample >= 0)
			arm(kernel_timers.sample, 0, 0);
		return;
	}
	if (s->tick_timer >= 0)
		syscall(SYS_timer_delete, s->tick_timer);
	if (s->sample_timer >= 0)
		syscall(SYS_timer_delete, s->sample_timer);
	s->tick_timer = s->sample_timer = -1;
}

bool weft__spin_others_can_run(const struct weft_thread *me)
{
	for (uint32_t i = 0; i < weft__rt.nthreads; i++) {
		const struct weft_thread *t = weft__rt.threads[i];
		if (t == me || t->exited || t->frozen)
			continue;
		if (t->has_deadline || (weft__op_enabled(t) && !weft__cond_spurious_only(t)))
			return true;
	}
	return weft__timers_may_end_spin(me); /* a timer's handler may end it */
}

void weft__spin_yield(struct weft_thread *me, uintptr_t pc)
{
	me->yielded = true; /* the others go first at this very decision */
	weft__sched_point(WEFT_OP_SPIN, NULL, pc);
}

struct unwind_walk {
	uintptr_t rip;
	bool found;
	uint32_t n;
	uint64_t *frames;
};

static _Unwind_Reason_Code collect(struct _Unwind_Context *c, void *arg)
{
	struct unwind_walk *w = arg;
	int before = 0;
	uintptr_t ip = _Unwind_GetIPInfo(c, &before);
	if (!w->found) {
		/* The handler's own frames, then the signal frame whose pc is the
		 * interrupted instruction itself. */
		if (ip == w->rip)
			w->found = true;
		return _URC_NO_REASON;
	}
	/* The program's frames only: below them are weft's thread trampoline
	 * and libc's thread start, which say nothing about the loop. */
	if (!ip || w->n >= WEFT_SPIN_FRAMES || !in_program(ip - 1))
		return _URC_END_OF_STACK;
	w->frames[w->n++] = ip;
	return _URC_NO_REASON;
}

/* The thread at rip loops forever: record its stack and end the execution. */
static _Noreturn void livelock(struct weft_thread *me, uintptr_t rip, const char *why)
{
	struct weft_shm *shm = weft__rt.shm;
	me->shared->op = WEFT_OP_SPIN;
	me->shared->object = 0;
	me->shared->func = 0;
	me->shared->pc = rip + 1; /* reports look a return address up at pc - 1 */
	shm->spin_frames[0] = rip + 1;
	struct unwind_walk w = {.rip = rip, .n = 1, .frames = shm->spin_frames};
	/* The unwinder may take a lock of its own: not the program's. */
	weft__rt.wrapping = true;
	_Unwind_Backtrace(collect, &w);
	weft__rt.wrapping = false;
	shm->spin_thread = me->id;
	shm->spin_nframes = w.n;
	for (uint32_t i = 0; i < weft__rt.nthreads; i++)
		if (weft__blocked_forever(weft__rt.threads[i]))
			weft__rt.threads[i]->shared->status = WEFT_THREAD_BLOCKED;
	weft__fail(WEFT_BUG_LIVELOCK, "%s", why);
}

static void start_over(struct spin_state *s)
{
	s->steps = weft__rt.shm->nsteps;
	s->nsamples = s->fast = s->lonely = 0;
	s->suspect_cpu_ns = -1;
}

static void sample_after(struct spin_state *s, int64_t ns)
{
	if (s->fast >= WEFT_SPIN_FAST_SAMPLES)
		return; /* back to the CPU-time ticks */
	if (s->sample_timer < 0) {
		s->sample_timer = new_timer(CLOCK_MONOTONIC);
		if (weft__exec_mode() == WEFT_EXEC_FIBER)
			kernel_timers.sample = s->sample_timer;
	}
	if (s->sample_timer >= 0) {
		s->fast++;
		arm(s->sample_timer, ns, 0);
	}
}

static void sample_soon(struct spin_state *s)
{
	sample_after(s, WEFT_SPIN_SAMPLE_NS);
}

/* Back into the thread at rip through the mark of weft__spin_resume. */
static void resume_marked_at(ucontext_t *uc, uintptr_t rip)
{
	weft__spin_ran = 0;
	weft__spin_resume_pc = rip;
	resume_marked = true;
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)weft__spin_resume;
}

static void preempt(struct weft_thread *me, struct spin_state *s, uintptr_t rip)
{
	/* Under fibers the other fibers run from here, on this fiber's stack
	 * below the handler's frame; the signal frame is left alone until the
	 * scheduler switches back, and the return from the handler then
	 * resumes the loop where it was interrupted. */
	weft__spin_yield(me, rip + 1);
	/* Back from the others: it most likely spins again, so look a quarter
	 * of a quantum from now, not after a whole tick of CPU time (a repeat
	 * still decides, so looking early costs only a signal). */
	start_over(s);
	sample_after(s, quantum_ns / 4);
}

static void handle(ucontext_t *uc, bool tick)
{
	struct weft_runtime *rt = &weft__rt;
	struct weft_thread *me = weft__self();
	if (!me || !me->spin || !rt->active || rt->exiting || rt->wrapping || me->exited ||
	    !rt->shm || rt->shm->current != me->id || rt->atomic_owner == me)
		return;
	struct spin_state *s = me->spin;
	if (tick)
		s->fast = 0; /* each quantum of CPU time allows a new burst of samples */
	uint32_t steps = __atomic_load_n(&rt->shm->nsteps, __ATOMIC_ACQUIRE);
	if (steps != s->steps) {
		/* It moved since the last signal, some time ago: look again one
		 * quantum from now rather than at the next tick. */
		start_over(s);
		sample_after(s, quantum_ns);
		return;
	}
	int64_t cpu = thread_cpu_ns();
	if (s->suspect_cpu_ns < 0)
		s->suspect_cpu_ns = cpu;
	/* Two timers may fire together and deliver back to back, at the same
	 * instruction: a sample counts only after the thread ran in between. */
	if (cpu - s->sampled_cpu_ns < WEFT_SPIN_MIN_RUN_NS) {
		sample_soon(s);
		return;
	}
	uintptr_t rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	if (!in_program(rip) || in_plt_stub(rip)) {
		sample_soon(s); /* retry a little later, out of libc and weft */
		return;
	}
	if (resume_marked && !weft__spin_ran) {
		sample_soon(s); /* it has not run since its last sample */
		return;
	}
	uint64_t h = state_hash(uc);
	s->sampled_cpu_ns = thread_cpu_ns();
	bool repeated = false;
	for (uint32_t i = 0; i < s->nsamples && i < SAMPLES; i++)
		repeated |= s->samples[i] == h;
	s->samples[s->nsamples++ % SAMPLES] = h;
	bool others = weft__spin_others_can_run(me);
	if (repeated && others) {
		preempt(me, s, rip);
		resume_marked_at(uc, rip);
		return;
	}
	if (repeated && !weft__outside_pending() && ++s->lonely >= WEFT_SPIN_LONELY_REPEATS)
		livelock(me, rip,
		         "no other thread can ever run to end it (the others are finished or "
		         "blocked for good)");
	if (!repeated && others && cpu - s->suspect_cpu_ns >= WEFT_SPIN_FALLBACK_NS) {
		preempt(me, s, rip);
		resume_marked_at(uc, rip);
		return;
	}
	sample_soon(s);
	resume_marked_at(uc, rip);
}

void weft__spin_signal(int sig, siginfo_t *info, void *context)
{
	(void)sig;
	if (in_handler)
		return;
	in_handler = true;
	int saved_errno = errno;
	const struct spin_state *s = weft__self() ? weft__self()->spin : NULL;
	handle(context, s && info->si_code == SI_TIMER && info->si_timerid == s->tick_timer);
	errno = saved_errno;
	in_handler = false;
}
