/* Random programs for tests/unit/test_dpor.c: small scripts over mutexes,
 * trylocks, condition variables, yields and value choices
 * (random_program), and over the other primitives the simulator models
 * (random_other_program). Seeded by rng_state; included only by
 * test_dpor.c (see dpor_sim.h). */
#ifndef WEFT_TEST_DPOR_RANDOM_H
#define WEFT_TEST_DPOR_RANDOM_H

/* A random small program: main creates two or three workers (joining
 * them, or not), every thread runs a few critical sections on two mutexes,
 * perhaps nested, with trylocks, signals and guarded condition waits. The
 * flag the waits test is only touched under mutex 0: no data race. */
static uint64_t rng_state;

static uint32_t rng(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng_state >> 33) % n;
}

static void random_section(struct instr *code, int *len, bool yields)
{
	if (rng(6) == 0) {
		/* A value choice guarding a section. */
		int at = *len;
		*len += 2;
		random_section(code, len, yields);
		code[at] = (struct instr){CHOOSE, 2, 0, 0};
		code[at + 1] = (struct instr){SKIP_IF_ZERO, (uint8_t)(*len - at - 2), 0, 0};
		return;
	}
	uint8_t m = (uint8_t)rng(2);
	if (rng(4) == 0) {
		code[(*len)++] = (struct instr){TRY, m, 0, 0};
		code[(*len)++] = (struct instr){UNLOCK_IF, m, 0, 0};
		return;
	}
	code[(*len)++] = (struct instr){LOCK, m, 0, 0};
	switch (rng(yields ? 6 : 5)) {
	case 0:
		/* The flag is plain memory: only under its mutex, as DPOR (any
		 * DPOR over the operations it sees) assumes of shared data. */
		if (m == 0)
			code[(*len)++] = (struct instr){SET, 0, 0, 0};
		code[(*len)++] = (struct instr){rng(2) ? SIGNAL : BROADCAST, 0, 0, 0};
		break;
	case 1:
		if (m == 0)
			code[(*len)++] = (struct instr){WAIT_UNTIL, 0, 0, 0};
		break;
	case 2:
		code[(*len)++] = (struct instr){LOCK, (uint8_t)(1 - m), 0, 0};
		code[(*len)++] = (struct instr){UNLOCK, (uint8_t)(1 - m), 0, 0};
		break;
	case 5:
		code[(*len)++] = (struct instr){YIELD, 0, 0, 0};
		break;
	}
	code[(*len)++] = (struct instr){UNLOCK, m, 0, 0};
}

static struct program random_program(bool yields)
{
	struct program p = {.name = "random", .nthreads = 2 + (int)rng(2)};
	int len[MAX_THREADS] = {0};
	for (int i = 1; i < p.nthreads; i++)
		p.code[0][len[0]++] = (struct instr){CREATE, (uint8_t)i, 0, 0};
	for (int i = 0; i < p.nthreads; i++) {
		int sections = 1 + (int)rng(i == 0 ? 2 : 3);
		for (int k = 0; k < sections; k++)
			random_section(p.code[i], &len[i], yields);
	}
	bool join = rng(4) != 0;
	for (int i = 1; i < p.nthreads && join; i++)
		p.code[0][len[0]++] = (struct instr){JOIN, (uint8_t)i, 0, 0};
	return p;
}

/* Random programs over the other primitives, checked by outcome (what
 * each thread observed, dpor_sim.h) as well as by class: read-write locks
 * (one of them preferring writers in some programs), semaphores with small
 * initial values, barriers, pthread_once with an initialiser that may make
 * events of its own, --yield-at locks, __VERIFIER_atomic sections, mutex
 * destroys that may be misuse, and the mutex sections above. */
enum {
	F_RWLOCK = 1,
	F_SEM = 2,
	F_BARRIER = 4,
	F_ONCE = 8,
	F_USER = 16,
	F_ATOMIC = 32,
	F_DESTROY = 64,
	F_MUTEX = 128,
	F_FUTEX = 256
};

static void put(struct program *p, int t, int *len, uint8_t op, uint8_t a, uint8_t b)
{
	if (*len < MAX_CODE - 1)
		p->code[t][(*len)++] = (struct instr){op, a, b, 0};
}

static void random_other_section(struct program *p, int t, int *len, unsigned features,
                                 bool in_once)
{
	/* Raw futexes, whose words the program changes with (visible) atomic
	 * stores: drawn apart, so that the other kinds' programs stay as they
	 * were. */
	if ((features & F_FUTEX) && !in_once && rng(2) == 0) {
		uint8_t w = (uint8_t)rng(2);
		switch (rng(3)) {
		case 0:
			put(p, t, len, FSTORE, w, (uint8_t)rng(2));
			put(p, t, len, FWAKE, w, (uint8_t)(1 + rng(2)));
			break;
		case 1:
			put(p, t, len, FWAIT, w, (uint8_t)rng(2));
			break;
		default:
			put(p, t, len, FWAKE, w, 1);
			break;
		}
		return;
	}
	for (;;) {
		switch (rng(9)) {
		case 0:
			if (!(features & F_RWLOCK))
				continue;
			{
				uint8_t l = (uint8_t)rng(2);
				switch (rng(4)) {
				case 0:
					put(p, t, len, RDLOCK, l, 0);
					if (rng(3) == 0 && (features & F_SEM))
						put(p, t, len, GETVALUE, 0, 0);
					put(p, t, len, RWUNLOCK, l, 0);
					break;
				case 1:
					put(p, t, len, WRLOCK, l, 0);
					put(p, t, len, RWUNLOCK, l, 0);
					break;
				case 2:
					put(p, t, len, TRYRD, l, 0);
					put(p, t, len, RWUNLOCK_IF, l, 0);
					break;
				default:
					put(p, t, len, TRYWR, l, 0);
					put(p, t, len, RWUNLOCK_IF, l, 0);
					break;
				}
			}
			return;
		case 1:
			if (!(features & F_SEM))
				continue;
			{
				static const uint8_t ops[] = {POST, POST, SEM_WAIT, TRYWAIT,
				                              GETVALUE};
				put(p, t, len, ops[rng(5)], (uint8_t)rng(2), 0);
			}
			return;
		case 2:
			if (!(features & F_BARRIER) || in_once)
				continue;
			put(p, t, len, BARRIER_WAIT, 0, 0);
			return;
		case 3:
			if (!(features & F_ONCE) || in_once)
				continue;
			{
				int at = *len;
				put(p, t, len, ONCE, (uint8_t)rng(2), 0);
				int body = (int)rng(3);
				for (int k = 0; k < body; k++)
					random_other_section(
					    p, t, len, features & ~(F_BARRIER | F_DESTROY), true);
				p->code[t][at].b = (uint8_t)(*len - at - 1);
			}
			return;
		case 4:
			if (!(features & F_USER))
				continue;
			{
				uint8_t l = (uint8_t)rng(2);
				put(p, t, len, USER_LOCK, l, 0);
				put(p, t, len, USER_UNLOCK, l, 0);
			}
			return;
		case 5:
			if (!(features & F_ATOMIC) || in_once)
				continue;
			put(p, t, len, ATOMIC_BEGIN, 0, 0);
			for (int k = (int)rng(3); k > 0; k--)
				random_other_section(p, t, len,
				                     features & (F_SEM | F_MUTEX | F_USER), false);
			put(p, t, len, ATOMIC_END, 0, 0);
			return;
		case 6:
			if (!(features & F_DESTROY) || in_once || t != 0)
				continue;
			put(p, t, len, DESTROY, (uint8_t)rng(2), 0);
			return;
		default:
			if (!(features & F_MUTEX))
				continue;
			{
				uint8_t m = (uint8_t)rng(2);
				if (rng(4) == 0) {
					put(p, t, len, TRY, m, 0);
					put(p, t, len, UNLOCK_IF, m, 0);
				} else {
					put(p, t, len, LOCK, m, 0);
					put(p, t, len, UNLOCK, m, 0);
				}
			}
			return;
		}
	}
}

static struct program random_other_program(unsigned features)
{
	/* Read-write locks alone: more threads, shorter ones (a writer's
	 * races with several readers). */
	bool readers = features == F_RWLOCK;
	struct program p = {.name = "random other", .nthreads = (readers ? 3 : 2) + (int)rng(2)};
	int len[MAX_THREADS] = {0};
	for (int i = 1; i < p.nthreads; i++)
		put(&p, 0, &len[0], CREATE, (uint8_t)i, 0);
	for (int i = 0; i < 2; i++)
		p.sem_value[i] = (uint8_t)rng(3);
	p.prefer_writer[1] = rng(3) == 0;
	/* Every thread meets at the barrier as often: no deadlock there, unless
	 * a section in between blocks. */
	int meetings = (features & F_BARRIER) ? (int)rng(p.nthreads > 2 ? 2 : 3) : 0;
	p.barrier_count[0] = (uint8_t)p.nthreads;
	for (int i = 0; i < p.nthreads; i++) {
		int sections = readers && i > 0 ? 1 : 1 + (int)rng(2);
		for (int k = 0; k < sections; k++)
			random_other_section(&p, i, &len[i], features & ~F_BARRIER, false);
		for (int k = 0; k < meetings; k++) {
			put(&p, i, &len[i], BARRIER_WAIT, 0, 0);
			random_other_section(&p, i, &len[i], features & ~F_BARRIER, false);
		}
	}
	bool join = rng(4) != 0;
	for (int i = 1; i < p.nthreads && join; i++)
		put(&p, 0, &len[0], JOIN, (uint8_t)i, 0);
	if ((features & F_DESTROY) && rng(2))
		put(&p, 0, &len[0], DESTROY, (uint8_t)rng(2), 0);
	return p;
}

#endif
