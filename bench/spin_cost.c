/* Two threads pass a turn back and forth ROUNDS times through a plain
 * volatile variable. "spin": each waits with `while (turn != me) ;`, no
 * call weft sees, so under weft every hand-off is a preempted spin;
 * "yield": each waits with sched_yield() in the loop, an ordinary
 * scheduling point. Both take two steps per round under weft
 * (bench/spin_cost.sh). usage: spin_cost spin|yield ROUNDS */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile int turn;
static long rounds;
static int yielding;

static void play(int me)
{
	for (long r = 0; r < rounds; r++) {
		while (turn != me)
			if (yielding)
				sched_yield();
		turn = 1 - me;
	}
}

static void *other(void *arg)
{
	(void)arg;
	play(1);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "spin") && strcmp(argv[1], "yield"))) {
		fprintf(stderr, "usage: spin_cost spin|yield ROUNDS\n");
		return 2;
	}
	yielding = strcmp(argv[1], "yield") == 0;
	rounds = atol(argv[2]);
	pthread_t t;
	pthread_create(&t, NULL, other, NULL);
	play(0);
	pthread_join(t, NULL);
	return 0;
}
