/* The simulator of tests/unit/test_dpor.c: small scripted programs run the
 * way interpose/ runs real ones (one thread at a time, the plan's choices
 * checked as sched.c checks them, yield fairness, virtual time that moves
 * only when nobody else can run, the process exit freezing the others,
 * __VERIFIER_atomic sections, misuse ending the execution), producing the
 * same traces. Each execution also has an outcome that does not depend on
 * the dependence relation: what every thread observed (the version of the
 * data behind each lock it took, trylock and sem_trywait results,
 * sem_getvalue, which barrier arrival ended its round, who ran a
 * pthread_once initialiser), where each thread stopped, and whether the
 * execution deadlocked or misused an object. Included only by test_dpor.c:
 * the unit test CMake rule builds each test_*.c on its own. */
#ifndef WEFT_TEST_DPOR_SIM_H
#define WEFT_TEST_DPOR_SIM_H

#define MAX_STEPS 512
#define MAX_THREADS 8
#define MAX_CODE 32
#define MAX_LOG 48
#define MUTEX(i) (1 + (i))     /* object ids of mutexes */
#define COND(i) (20 + (i))     /* of condition variables */
#define SEM(i) (40 + (i))      /* of semaphores */
#define RWLOCK(i) (60 + (i))   /* of read-write locks */
#define BARRIER(i) (80 + (i))  /* of barriers */
#define ONCE_ID(i) (100 + (i)) /* of once controls */
#define USER(i) (120 + (i))    /* of --yield-at lock(N) locks */
#define WORD(i) (140 + (i))    /* of futex words */

enum instr_op {
	LOCK = 1,   /* a: mutex */
	UNLOCK,     /* a: mutex */
	TRY,        /* a: mutex; a later UNLOCK_IF releases it if taken */
	UNLOCK_IF,  /* a: mutex */
	WAIT_UNTIL, /* a: flag, b: cond, c: mutex: while (!flag) cond_wait(b, c) */
	SET,        /* a: flag = 1 (plain memory: no event) */
	SIGNAL,     /* a: cond */
	BROADCAST,  /* a: cond */
	CREATE,     /* a: thread */
	JOIN,       /* a: thread */
	YIELD,
	POST,         /* a: semaphore */
	SEM_WAIT,     /* a: semaphore: waits while its value is 0 */
	SLEEP,        /* virtual time: ends only when no other thread can run */
	CHOOSE,       /* a: weft_choose(a), a value explored like a schedule choice */
	SKIP_IF_ZERO, /* a: skip the next a instructions if the last value chosen was 0 */
	RDLOCK,       /* a: rwlock */
	WRLOCK,       /* a: rwlock */
	RWUNLOCK,     /* a: rwlock */
	TRYRD,        /* a: rwlock; a later RWUNLOCK_IF releases it if taken */
	TRYWR,        /* a: rwlock */
	RWUNLOCK_IF,  /* a: rwlock */
	TRYWAIT,      /* a: semaphore */
	GETVALUE,     /* a: semaphore */
	BARRIER_WAIT, /* a: barrier (count in program.barrier_count) */
	ONCE,         /* a: once control; the next b instructions are its initialiser */
	USER_LOCK,    /* a: a --yield-at lock */
	USER_UNLOCK,  /* a: the same */
	ATOMIC_BEGIN, /* __VERIFIER_atomic_begin */
	ATOMIC_END,
	DESTROY,    /* a: mutex: pthread_mutex_destroy (misuse if held or awaited) */
	USER_YIELD, /* weft_yield: a scheduling point ordered with everything */
	FSTORE,     /* a: futex word = b, an atomic store (seen in an instrumented build) */
	FWAIT,      /* a: futex word: FUTEX_WAIT expecting b (EAGAIN when it differs) */
	FWAKE,      /* a: futex word: FUTEX_WAKE of b waiters (at least one) */
	OP_LIMIT
};

struct instr {
	uint8_t op, a, b, c;
};

struct program {
	const char *name;
	int nthreads; /* thread 0 is main; the others start when created */
	struct instr code[MAX_THREADS][MAX_CODE];
	uint8_t sem_value[4];     /* initial values */
	uint8_t barrier_count[4]; /* 0 = 2 */
	bool prefer_writer[4];    /* rwlocks that prefer writers */
};

struct sim_thread {
	int pc;
	bool created, exited, yielded, signalled, waiting, choosing;
	uint32_t chosen;
	bool took[8];  /* trylocks that succeeded */
	bool rtook[4]; /* rwlock trylocks that succeeded */
	uint8_t op;    /* pending operation */
	uint32_t object, object2;
	uint32_t round; /* of the barrier it waits in */
	int init_end;   /* pc where the initialiser it runs ends, or -1 */
	uint8_t init_once;
	bool init_events; /* the initialiser made events */
	uint8_t log[MAX_LOG];
	uint32_t nlog;
	bool woken;          /* futex: a wake took it off the word's queue */
	uint32_t seq;        /* futex: when it joined the queue */
	int spun_word;       /* futex: the word of its last EAGAIN, -1 = none */
	uint32_t spun_value; /* and the value found */
};

struct sim {
	const struct program *p;
	struct sim_thread t[MAX_THREADS];
	int owner[8];
	uint8_t queue[8][MAX_THREADS], nqueued[8];
	bool flag[8], frozen, misuse;
	int misuse_by, misuse_of, misuse_holder; /* what the runtime's message names */
	int sem[8];
	uint32_t version[8]; /* of the data behind each mutex (and user lock) */
	int writer[4], readers[4];
	uint32_t rw_version[4];
	uint32_t arrived[4], round[4];
	bool done[4];
	int runner[4];
	int atomic_owner;
	uint32_t word[2], next_seq; /* futex words, arrival order in their queues */
};

static void observe(struct sim_thread *t, uint32_t v)
{
	if (t->nlog < MAX_LOG)
		t->log[t->nlog] = (uint8_t)v;
	t->nlog++;
}

/* Run thread i's invisible code up to its next operation. */
static void advance(struct sim *s, int i)
{
	struct sim_thread *t = &s->t[i];
	for (;;) {
		if (t->init_end >= 0 && t->pc == t->init_end) {
			/* The end of a pthread_once initialiser: an event of its own
			 * when the initialiser made some (hooks_barrier_once_spin.c). */
			if (t->init_events) {
				t->op = WEFT_OP_ONCE_END, t->object = ONCE_ID(t->init_once);
				return;
			}
			s->done[t->init_once] = true;
			s->runner[t->init_once] = -1;
			t->init_end = -1;
		}
		const struct instr *in = &s->p->code[i][t->pc];
		t->object = t->object2 = 0;
		switch (in->op) {
		case 0:
			t->op = i == 0 ? WEFT_OP_PROCESS_EXIT : WEFT_OP_THREAD_EXIT;
			return;
		case SET:
			s->flag[in->a] = true;
			t->pc++;
			continue;
		case UNLOCK_IF:
			if (!t->took[in->a]) {
				t->pc++;
				continue;
			}
			t->op = WEFT_OP_MUTEX_UNLOCK, t->object = MUTEX(in->a);
			return;
		case RWUNLOCK_IF:
			if (!t->rtook[in->a]) {
				t->pc++;
				continue;
			}
			t->op = WEFT_OP_RWLOCK_UNLOCK, t->object = RWLOCK(in->a);
			return;
		case WAIT_UNTIL:
			if (!t->waiting && s->flag[in->a]) {
				t->pc++;
				continue;
			}
			t->op = t->waiting ? WEFT_OP_COND_WAKE : WEFT_OP_COND_WAIT;
			t->object = COND(in->b);
			t->object2 = t->waiting ? MUTEX(in->c) : 0;
			return;
		case LOCK:
			t->op = WEFT_OP_MUTEX_LOCK, t->object = MUTEX(in->a);
			return;
		case UNLOCK:
			t->op = WEFT_OP_MUTEX_UNLOCK, t->object = MUTEX(in->a);
			return;
		case TRY:
			t->op = WEFT_OP_MUTEX_TRYLOCK, t->object = MUTEX(in->a);
			return;
		case DESTROY:
			t->op = WEFT_OP_MUTEX_DESTROY, t->object = MUTEX(in->a);
			return;
		case USER_LOCK:
			t->op = WEFT_OP_USER_LOCK, t->object = USER(in->a);
			return;
		case USER_UNLOCK:
			t->op = WEFT_OP_USER_UNLOCK, t->object = USER(in->a);
			return;
		case SIGNAL:
		case BROADCAST:
			t->op = in->op == SIGNAL ? WEFT_OP_COND_SIGNAL : WEFT_OP_COND_BROADCAST;
			t->object = COND(in->a);
			return;
		case CREATE:
			t->op = WEFT_OP_CREATE, t->object = in->a;
			return;
		case JOIN:
			t->op = WEFT_OP_JOIN, t->object = in->a;
			return;
		case YIELD:
			t->op = WEFT_OP_YIELD;
			return;
		case POST:
		case SEM_WAIT:
		case TRYWAIT:
		case GETVALUE:
			t->op = in->op == POST       ? WEFT_OP_SEM_POST
			        : in->op == SEM_WAIT ? WEFT_OP_SEM_WAIT
			        : in->op == TRYWAIT  ? WEFT_OP_SEM_TRYWAIT
			                             : WEFT_OP_SEM_GETVALUE;
			t->object = SEM(in->a);
			return;
		case RDLOCK:
		case WRLOCK:
		case RWUNLOCK:
		case TRYRD:
		case TRYWR:
			t->op = in->op == RDLOCK   ? WEFT_OP_RWLOCK_RDLOCK
			        : in->op == WRLOCK ? WEFT_OP_RWLOCK_WRLOCK
			        : in->op == TRYRD  ? WEFT_OP_RWLOCK_TRYRDLOCK
			        : in->op == TRYWR  ? WEFT_OP_RWLOCK_TRYWRLOCK
			                           : WEFT_OP_RWLOCK_UNLOCK;
			t->object = RWLOCK(in->a);
			return;
		case BARRIER_WAIT:
			t->op = t->waiting ? WEFT_OP_BARRIER_WAKE : WEFT_OP_BARRIER_WAIT;
			t->object = BARRIER(in->a);
			return;
		case ONCE:
			t->op = WEFT_OP_ONCE, t->object = ONCE_ID(in->a);
			return;
		case ATOMIC_BEGIN:
			t->op = WEFT_OP_ATOMIC_BEGIN;
			return;
		case ATOMIC_END:
			/* The runtime ends the section before the scheduling point
			 * (whoever's it was). */
			s->atomic_owner = -1;
			t->op = WEFT_OP_ATOMIC_END;
			return;
		case SLEEP:
			t->op = WEFT_OP_SLEEP;
			return;
		case USER_YIELD:
			t->op = WEFT_OP_USER_YIELD;
			return;
		case CHOOSE:
			t->op = WEFT_OP_CHOOSE;
			return;
		case SKIP_IF_ZERO:
			t->pc += 1 + (t->chosen == 0 ? in->a : 0);
			continue;
		case FSTORE:
			t->op = WEFT_OP_ATOMIC_STORE, t->object = WORD(in->a);
			return;
		case FWAIT:
			t->op = t->waiting ? WEFT_OP_FUTEX_WAKEUP : WEFT_OP_FUTEX_WAIT;
			t->object = WORD(in->a);
			return;
		case FWAKE:
			t->op = WEFT_OP_FUTEX_WAKE, t->object = WORD(in->a);
			return;
		}
	}
}

/* A thread other than i waits to write-lock rwlock a. */
static bool writer_waiting(const struct sim *s, int i, int a)
{
	for (int k = 0; k < s->p->nthreads; k++)
		if (k != i && s->t[k].created && !s->t[k].exited &&
		    s->t[k].op == WEFT_OP_RWLOCK_WRLOCK && s->t[k].object == (uint32_t)RWLOCK(a))
			return true;
	return false;
}

static bool can_rdlock(const struct sim *s, int i, int a)
{
	return s->writer[a] < 0 &&
	       (!s->p->prefer_writer[a] || s->readers[a] == 0 || !writer_waiting(s, i, a));
}

static bool enabled(const struct sim *s, int i)
{
	const struct sim_thread *t = &s->t[i];
	if (!t->created || t->exited || (s->frozen && i != 0))
		return false;
	const struct instr *in = &s->p->code[i][t->pc];
	switch (t->op) {
	case WEFT_OP_MUTEX_LOCK:
		return s->owner[in->a] < 0;
	case WEFT_OP_USER_LOCK:
		return s->owner[4 + in->a] < 0;
	case WEFT_OP_COND_WAKE:
		return t->signalled && s->owner[in->c] < 0;
	case WEFT_OP_JOIN:
		return s->t[in->a].exited;
	case WEFT_OP_SEM_WAIT:
		return s->sem[in->a] > 0;
	case WEFT_OP_RWLOCK_RDLOCK:
		return can_rdlock(s, i, in->a);
	case WEFT_OP_RWLOCK_WRLOCK:
		return s->writer[in->a] < 0 && s->readers[in->a] == 0;
	case WEFT_OP_BARRIER_WAKE:
		return t->round != s->round[in->a];
	case WEFT_OP_ONCE:
		return s->runner[in->a] < 0 || s->runner[in->a] == i;
	case WEFT_OP_FUTEX_WAKEUP:
		return t->woken;
	default:
		return true;
	}
}

/* What the runtime says of an event in its flags (sched.c op_flags). */
static uint8_t event_flags(const struct sim *s, int i)
{
	const struct sim_thread *t = &s->t[i];
	const struct instr *in = &s->p->code[i][t->pc];
	switch (t->op) {
	case WEFT_OP_ONCE:
		return !s->done[in->a] && s->runner[in->a] < 0 ? WEFT_EVENT_RAN_INIT : 0;
	case WEFT_OP_SEM_TRYWAIT:
		return s->sem[in->a] == 0 ? WEFT_EVENT_FAILED : 0;
	case WEFT_OP_BARRIER_WAIT: {
		uint32_t count = s->p->barrier_count[in->a] ? s->p->barrier_count[in->a] : 2;
		return s->arrived[in->a] + 1 >= count ? WEFT_EVENT_ENDS_ROUND : 0;
	}
	case WEFT_OP_RWLOCK_RDLOCK:
	case WEFT_OP_RWLOCK_WRLOCK:
	case WEFT_OP_RWLOCK_TRYRDLOCK:
	case WEFT_OP_RWLOCK_TRYWRLOCK:
	case WEFT_OP_RWLOCK_UNLOCK:
		return s->p->prefer_writer[in->a] ? WEFT_EVENT_WRITER_PREFERRED : 0;
	case WEFT_OP_FUTEX_WAIT:
		/* A second EAGAIN in a row on an unchanged word (model_futex.c). */
		return s->word[in->a] != in->b && t->spun_word == in->a &&
		               t->spun_value == s->word[in->a]
		           ? WEFT_EVENT_YIELDED
		           : 0;
	default:
		return 0;
	}
}

/* Whether a pthread_mutex_destroy of mutex a now is misuse. */
static bool mutex_in_use(const struct sim *s, int i, int a)
{
	if (s->owner[a] >= 0)
		return true;
	for (int k = 0; k < s->p->nthreads; k++) {
		const struct sim_thread *u = &s->t[k];
		if (k == i || !u->created || u->exited)
			continue;
		const struct instr *in = &s->p->code[k][u->pc];
		if ((u->op == WEFT_OP_MUTEX_LOCK && in->a == a) ||
		    (u->waiting && in->op == WAIT_UNTIL && in->c == a))
			return true;
	}
	return false;
}

/* Apply thread i's pending operation (the event was just recorded). */
static void execute(struct sim *s, int i)
{
	struct sim_thread *t = &s->t[i];
	const struct instr *in = &s->p->code[i][t->pc];
	if (t->init_end >= 0)
		t->init_events = true;
	switch (t->op) {
	case WEFT_OP_START:
		break;
	case WEFT_OP_THREAD_EXIT:
		t->exited = true;
		return;
	case WEFT_OP_PROCESS_EXIT:
		s->frozen = true;
		t->exited = true;
		return;
	case WEFT_OP_MUTEX_LOCK:
		s->owner[in->a] = i;
		observe(t, s->version[in->a]++);
		t->pc++;
		break;
	case WEFT_OP_USER_LOCK:
		s->owner[4 + in->a] = i;
		observe(t, s->version[4 + in->a]++);
		t->pc++;
		break;
	case WEFT_OP_MUTEX_UNLOCK:
		s->owner[in->a] = -1;
		t->took[in->a] = false;
		t->pc++;
		break;
	case WEFT_OP_USER_UNLOCK:
		s->owner[4 + in->a] = -1;
		t->pc++;
		break;
	case WEFT_OP_MUTEX_TRYLOCK:
		if (s->owner[in->a] < 0) {
			s->owner[in->a] = i;
			t->took[in->a] = true;
			observe(t, 200 + s->version[in->a]++);
		} else {
			t->yielded = true;
			observe(t, 199);
		}
		t->pc++;
		break;
	case WEFT_OP_MUTEX_DESTROY:
		if (mutex_in_use(s, i, in->a)) {
			s->misuse = true; /* the runtime ends the execution here */
			s->misuse_by = i;
			s->misuse_of = in->a;
			s->misuse_holder = s->owner[in->a];
			return;
		}
		t->pc++;
		break;
	case WEFT_OP_COND_WAIT:
		s->owner[in->c] = -1;
		s->queue[in->b][s->nqueued[in->b]++] = (uint8_t)i;
		t->waiting = true;
		t->signalled = false;
		break;
	case WEFT_OP_COND_WAKE:
		s->owner[in->c] = i;
		t->waiting = false;
		break;
	case WEFT_OP_COND_SIGNAL:
	case WEFT_OP_COND_BROADCAST: {
		uint8_t c = in->a, k = t->op == WEFT_OP_COND_SIGNAL && s->nqueued[c] ? 1 : s->nqueued[c];
		for (uint8_t q = 0; q < k; q++)
			s->t[s->queue[c][q]].signalled = true;
		memmove(s->queue[c], s->queue[c] + k, s->nqueued[c] - k);
		s->nqueued[c] -= k;
		t->pc++;
		break;
	}
	case WEFT_OP_CREATE:
		s->t[in->a].created = true;
		s->t[in->a].op = WEFT_OP_START;
		t->pc++;
		break;
	case WEFT_OP_YIELD:
		t->yielded = true;
		t->pc++;
		break;
	case WEFT_OP_SEM_POST:
		s->sem[in->a]++;
		t->pc++;
		break;
	case WEFT_OP_SEM_WAIT:
		s->sem[in->a]--;
		t->pc++;
		break;
	case WEFT_OP_SEM_TRYWAIT:
		if (s->sem[in->a] > 0) {
			s->sem[in->a]--;
			observe(t, 1);
		} else {
			t->yielded = true;
			observe(t, 0);
		}
		t->pc++;
		break;
	case WEFT_OP_SEM_GETVALUE:
		observe(t, 100 + (uint32_t)s->sem[in->a]);
		t->pc++;
		break;
	case WEFT_OP_RWLOCK_RDLOCK:
		s->readers[in->a]++;
		observe(t, s->rw_version[in->a]);
		t->pc++;
		break;
	case WEFT_OP_RWLOCK_WRLOCK:
		s->writer[in->a] = i;
		observe(t, s->rw_version[in->a]++);
		t->pc++;
		break;
	case WEFT_OP_RWLOCK_TRYRDLOCK:
		if (can_rdlock(s, i, in->a)) {
			s->readers[in->a]++;
			t->rtook[in->a] = true;
			observe(t, 150 + s->rw_version[in->a]);
		} else {
			t->yielded = true;
			observe(t, 149);
		}
		t->pc++;
		break;
	case WEFT_OP_RWLOCK_TRYWRLOCK:
		if (s->writer[in->a] < 0 && s->readers[in->a] == 0) {
			s->writer[in->a] = i;
			t->rtook[in->a] = true;
			observe(t, 150 + s->rw_version[in->a]++);
		} else {
			t->yielded = true;
			observe(t, 149);
		}
		t->pc++;
		break;
	case WEFT_OP_RWLOCK_UNLOCK:
		if (s->writer[in->a] == i)
			s->writer[in->a] = -1;
		else
			s->readers[in->a]--;
		t->rtook[in->a] = false;
		t->pc++;
		break;
	case WEFT_OP_BARRIER_WAIT: {
		uint32_t count = s->p->barrier_count[in->a] ? s->p->barrier_count[in->a] : 2;
		t->round = s->round[in->a];
		if (++s->arrived[in->a] >= count) {
			s->arrived[in->a] = 0;
			s->round[in->a]++;
			observe(t, 1);
			t->pc++;
		} else {
			t->waiting = true;
		}
		break;
	}
	case WEFT_OP_BARRIER_WAKE:
		t->waiting = false;
		observe(t, 0);
		t->pc++;
		break;
	case WEFT_OP_ONCE:
		if (!s->done[in->a] && s->runner[in->a] < 0) {
			s->runner[in->a] = i;
			t->init_once = in->a;
			t->init_end = t->pc + 1 + in->b;
			t->init_events = false;
			observe(t, 1);
			t->pc++;
		} else {
			observe(t, 0);
			t->pc += 1 + in->b;
		}
		break;
	case WEFT_OP_ONCE_END:
		s->done[t->init_once] = true;
		s->runner[t->init_once] = -1;
		t->init_end = -1;
		break;
	case WEFT_OP_ATOMIC_BEGIN:
		s->atomic_owner = i;
		t->pc++;
		break;
	case WEFT_OP_CHOOSE:
		t->choosing = true; /* run() records the value next, then goes on */
		return;
	case WEFT_OP_ATOMIC_STORE:
		s->word[in->a] = in->b;
		t->pc++;
		break;
	case WEFT_OP_FUTEX_WAIT:
		if (s->word[in->a] != in->b) {
			if (event_flags(s, i) & WEFT_EVENT_YIELDED)
				t->yielded = true;
			t->spun_word = in->a;
			t->spun_value = s->word[in->a];
			observe(t, 60 + s->word[in->a]);
			t->pc++;
			break;
		}
		t->spun_word = -1;
		t->waiting = true;
		t->woken = false;
		t->seq = ++s->next_seq;
		break;
	case WEFT_OP_FUTEX_WAKEUP:
		t->waiting = false;
		t->woken = false;
		observe(t, 70);
		t->pc++;
		break;
	case WEFT_OP_FUTEX_WAKE: {
		/* The oldest waiters first, at least one (the kernel's count). */
		uint32_t woken = 0;
		for (;;) {
			struct sim_thread *best = NULL;
			for (int k = 0; k < s->p->nthreads; k++) {
				struct sim_thread *u = &s->t[k];
				const struct instr *w = &s->p->code[k][u->pc];
				if (u->created && !u->exited && u->waiting && !u->woken &&
				    u->op == WEFT_OP_FUTEX_WAKEUP && w->a == in->a &&
				    (!best || u->seq < best->seq))
					best = u;
			}
			if (!best)
				break;
			best->woken = true;
			if (++woken >= in->b)
				break;
		}
		observe(t, 80 + woken);
		t->pc++;
		break;
	}
	default:
		t->pc++;
		break;
	}
	advance(s, i);
}

/* The outcome of an execution (see the top of this file), hashed. Misuse
 * ends an execution where it happens, the other threads wherever they
 * were: its outcome is what the runtime's message says. */
static uint64_t outcome_of(const struct sim *s, bool deadlocked)
{
	uint64_t h = 1469598103934665603ull;
#define MIX(v) (h = (h ^ (uint64_t)(v)) * 1099511628211ull)
	MIX(deadlocked);
	MIX(s->misuse);
	if (s->misuse) {
		MIX(s->misuse_by);
		MIX(s->misuse_of);
		MIX(s->misuse_holder);
		return h ? h : 1;
	}
	for (int i = 0; i < s->p->nthreads; i++) {
		const struct sim_thread *t = &s->t[i];
		MIX(t->created);
		MIX(t->exited);
		MIX(t->pc);
		MIX(t->op);
		MIX(t->nlog);
		for (uint32_t k = 0; k < t->nlog && k < MAX_LOG; k++)
			MIX(t->log[k]);
	}
#undef MIX
	return h ? h : 1;
}

/* One execution under `plan`; returns the number of events, or 0 when the
 * plan could not be followed (counted as a failure). *misused: it ended in
 * misuse, its other threads wherever they were. */
static uint32_t run(const struct program *p, const struct weft_plan *plan,
                    struct weft_event *events, struct weft_thread_state *states, bool *deadlocked,
                    bool *misused, uint64_t *outcome)
{
	struct sim s = {.p = p, .atomic_owner = -1};
	memset(s.owner, -1, sizeof s.owner);
	memset(s.writer, -1, sizeof s.writer);
	memset(s.runner, -1, sizeof s.runner);
	for (int i = 0; i < 4; i++)
		s.sem[i] = p->sem_value[i];
	for (int i = 0; i < MAX_THREADS; i++) {
		s.t[i].init_end = -1;
		s.t[i].spun_word = -1;
	}
	s.t[0].created = true;
	advance(&s, 0);
	uint32_t pos = 0, n = 0;
	*deadlocked = false;
	for (;;) {
		if (s.misuse)
			break;
		/* Sleepers are due only when nobody else is eager (sched.c
		 * moves the clock then); all of them at once, a tie. */
		uint64_t all = 0, eager = 0, sleepers = 0;
		for (int i = 0; i < p->nthreads; i++) {
			if (!enabled(&s, i))
				continue;
			if (s.t[i].op == WEFT_OP_SLEEP)
				sleepers |= 1ull << i;
			else if (!s.t[i].yielded)
				eager |= 1ull << i;
			else
				all |= 1ull << i;
		}
		uint64_t set = eager ? eager : sleepers ? sleepers : all;
		/* The owner of an atomic section runs alone while it can. */
		if (s.atomic_owner >= 0 && ((eager | sleepers | all) >> s.atomic_owner) & 1)
			set = 1ull << s.atomic_owner;
		if (!set) {
			for (int i = 0; i < p->nthreads; i++)
				*deadlocked |= s.t[i].created && !s.t[i].exited && !s.frozen;
			break;
		}
		if (n == MAX_STEPS)
			break;
		bool choice = (set & (set - 1)) != 0;
		int id = __builtin_ctzll(set);
		/* The sticky policy (bounded search) keeps the thread that ran. */
		if (plan->policy == WEFT_POLICY_STICKY && n > 0 && ((set >> events[n - 1].thread) & 1))
			id = events[n - 1].thread;
		if (pos < plan->len && plan->choices[pos].step == n) {
			id = (int)plan->choices[pos++].thread;
			if (id >= 64 || !((set >> id) & 1)) {
				fprintf(stderr, "FAIL %s: the plan runs thread %d at step %u, which cannot run\n",
				        p->name, id, n);
				for (uint32_t i = 0; getenv("TEST_DPOR_VERBOSE") && i < plan->len; i++)
					fprintf(stderr, "  plan %u: %u\n", plan->choices[i].step,
					        plan->choices[i].thread);
				for (uint32_t i = 0; getenv("TEST_DPOR_VERBOSE") && i < n; i++)
					fprintf(stderr, "  ran %u: t%u %s %s\n", i, events[i].thread,
					        weft_op_name(events[i].op),
					        events[i].flags & WEFT_EVENT_VALUE ? "(value)" : "");
				failures++;
				return 0;
			}
		} else if (pos < plan->len && (plan->choices[pos].step < n || choice)) {
			fprintf(stderr, "FAIL %s: the plan misses the choice at step %u\n", p->name, n);
			failures++;
			return 0;
		}
		for (int i = 0; i < p->nthreads; i++)
			if (i != id)
				s.t[i].yielded = false;
		struct sim_thread *t = &s.t[id];
		events[n++] = (struct weft_event){
		    .thread = (uint16_t)id,
		    .op = t->op,
		    .flags = (uint8_t)((choice ? WEFT_EVENT_CHOICE : 0) | event_flags(&s, id)),
		    .object = t->object,
		    .object2 = t->object2,
		    .enabled = set};
		execute(&s, id);
		if (t->choosing && n < MAX_STEPS) {
			/* The value, recorded right away as the runtime does, planned
			 * like a thread (sched.c weft__choose_value). */
			uint32_t k = p->code[id][t->pc].a;
			uint64_t values = (1ull << k) - 1;
			uint32_t v = 0;
			if (pos < plan->len && plan->choices[pos].step == n) {
				v = plan->choices[pos++].thread;
				if (v >= k) {
					fprintf(stderr, "FAIL %s: the plan chooses value %u of %u\n", p->name,
					        v, k);
					failures++;
					return 0;
				}
			}
			events[n++] = (struct weft_event){.thread = (uint16_t)id, .op = WEFT_OP_CHOSEN,
			                                  .flags = (uint8_t)(WEFT_EVENT_VALUE |
			                                                     (k > 1 ? WEFT_EVENT_CHOICE : 0)),
			                                  .object = v, .enabled = values};
			t->choosing = false;
			t->chosen = v;
			t->pc++;
			advance(&s, id);
		}
	}
	for (int i = 0; i < p->nthreads; i++) {
		const struct sim_thread *t = &s.t[i];
		states[i] = (struct weft_thread_state){
		    .status = !t->created                              ? WEFT_THREAD_UNUSED
		              : t->exited                              ? WEFT_THREAD_EXITED
		              : enabled(&s, i) || s.frozen || s.misuse ? WEFT_THREAD_LIVE
		                                                       : WEFT_THREAD_BLOCKED,
		    .op = t->op,
		    .object = t->object,
		    .flags = (uint8_t)(event_flags(&s, i) & WEFT_EVENT_WRITER_PREFERRED)};
	}
	*misused = s.misuse;
	*outcome = outcome_of(&s, *deadlocked);
	return n;
}


#endif
