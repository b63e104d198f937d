/* The simulator of tests/unit/test_dpor.c: small scripted programs run the
 * way interpose/ runs real ones (one thread at a time, the plan's choices
 * checked as sched.c checks them, yield fairness, virtual time that moves
 * only when nobody else can run, the process exit freezing the others),
 * producing the same traces. Included only by test_dpor.c: the unit test
 * CMake rule builds each test_*.c on its own. */
#ifndef WEFT_TEST_DPOR_SIM_H
#define WEFT_TEST_DPOR_SIM_H

#define MAX_STEPS 512
#define MAX_THREADS 8
#define MAX_CODE 24
#define MUTEX(i) (1 + (i))  /* object ids of mutexes */
#define COND(i) (20 + (i))  /* of condition variables */
#define SEM(i) (40 + (i))   /* and of semaphores */

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
	POST,      /* a: semaphore (an operation dependence.c does not know) */
	SEM_WAIT,  /* a: semaphore: waits while its value is 0 */
	SLEEP,     /* virtual time: ends only when no other thread can run */
	CHOOSE,    /* a: weft_choose(a), a value explored like a schedule choice */
	SKIP_IF_ZERO, /* a: skip the next a instructions if the last value chosen was 0 */
};

struct instr {
	uint8_t op, a, b, c;
};

struct program {
	const char *name;
	int nthreads; /* thread 0 is main; the others start when created */
	struct instr code[MAX_THREADS][MAX_CODE];
};

struct sim_thread {
	int pc;
	bool created, exited, yielded, signalled, waiting, choosing;
	uint32_t chosen;
	bool took[8]; /* trylocks that succeeded */
	uint8_t op;   /* pending operation */
	uint32_t object, object2;
};

struct sim {
	const struct program *p;
	struct sim_thread t[MAX_THREADS];
	int owner[8];
	uint8_t queue[8][MAX_THREADS], nqueued[8];
	bool flag[8], frozen;
	int sem[8];
};

/* Run thread i's invisible code up to its next operation. */
static void advance(struct sim *s, int i)
{
	struct sim_thread *t = &s->t[i];
	for (;;) {
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
			t->op = in->op == POST ? WEFT_OP_SEM_POST : WEFT_OP_SEM_WAIT;
			t->object = SEM(in->a);
			return;
		case SLEEP:
			t->op = WEFT_OP_SLEEP;
			return;
		case CHOOSE:
			t->op = WEFT_OP_CHOOSE;
			return;
		case SKIP_IF_ZERO:
			t->pc += 1 + (t->chosen == 0 ? in->a : 0);
			continue;
		}
	}
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
	case WEFT_OP_COND_WAKE:
		return t->signalled && s->owner[in->c] < 0;
	case WEFT_OP_JOIN:
		return s->t[in->a].exited;
	case WEFT_OP_SEM_WAIT:
		return s->sem[in->a] > 0;
	default:
		return true;
	}
}

/* Apply thread i's pending operation. */
static void execute(struct sim *s, int i)
{
	struct sim_thread *t = &s->t[i];
	const struct instr *in = &s->p->code[i][t->pc];
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
		t->pc++;
		break;
	case WEFT_OP_MUTEX_UNLOCK:
		s->owner[in->a] = -1;
		t->took[in->a] = false;
		t->pc++;
		break;
	case WEFT_OP_MUTEX_TRYLOCK:
		if (s->owner[in->a] < 0) {
			s->owner[in->a] = i;
			t->took[in->a] = true;
		} else {
			t->yielded = true;
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
	case WEFT_OP_CHOOSE:
		t->choosing = true; /* run() records the value next, then goes on */
		return;
	default:
		t->pc++;
		break;
	}
	advance(s, i);
}

/* One execution under `plan`; returns the number of events, or 0 when the
 * plan could not be followed (counted as a failure). */
static uint32_t run(const struct program *p, const struct weft_plan *plan,
                    struct weft_event *events, struct weft_thread_state *states,
                    bool *deadlocked)
{
	struct sim s = {.p = p};
	memset(s.owner, -1, sizeof s.owner);
	s.t[0].created = true;
	advance(&s, 0);
	uint32_t pos = 0, n = 0;
	*deadlocked = false;
	for (;;) {
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
		events[n++] = (struct weft_event){.thread = (uint16_t)id, .op = t->op,
		                                  .flags = choice ? WEFT_EVENT_CHOICE : 0,
		                                  .object = t->object, .object2 = t->object2,
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
			.status = !t->created  ? WEFT_THREAD_UNUSED
			          : t->exited ? WEFT_THREAD_EXITED
			          : enabled(&s, i) || s.frozen ? WEFT_THREAD_LIVE
			                                       : WEFT_THREAD_BLOCKED,
			.op = t->op, .object = t->object};
	}
	return n;
}


#endif
