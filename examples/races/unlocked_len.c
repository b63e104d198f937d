/* A stack whose push takes the lock but whose length does not ("it only
 * reads an int"; after "How to use channels to safely synchronise data in
 * Go"). A reader that is not ordered with the writer is a data race even
 * when it reads a single word: the compiler may tear, cache or reorder it.
 * weft reports the unlocked read against the locked write.
 * Fixed twin: unlocked_len_fixed.c.
 * weft-expect: bug data-race */
#include <pthread.h>
#include <stdlib.h>

struct element {
	int value;
	struct element *next;
};

struct stack {
	pthread_mutex_t lock;
	struct element *top;
	int size;
};

static void stack_push(struct stack *s, int value)
{
	struct element *e = malloc(sizeof *e);
	e->value = value;
	pthread_mutex_lock(&s->lock);
	e->next = s->top;
	s->top = e;
	s->size++;
	pthread_mutex_unlock(&s->lock);
}

static int stack_len(struct stack *s)
{
	return s->size; /* no lock: the bug */
}

static struct stack stack = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void *pusher(void *arg)
{
	(void)arg;
	stack_push(&stack, 1);
	stack_push(&stack, 2);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, pusher, NULL);
	int seen = stack_len(&stack);
	pthread_join(t, NULL);
	return seen > 2;
}
