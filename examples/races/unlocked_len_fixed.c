/* unlocked_len.c with the fix: the length is read under the same lock as
 * every write of it. No race, in any interleaving.
 * weft-expect: ok 7 */
#include <assert.h>
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
	pthread_mutex_lock(&s->lock);
	int size = s->size;
	pthread_mutex_unlock(&s->lock);
	return size;
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
	assert(seen >= 0 && seen <= 2 && stack_len(&stack) == 2);
	return 0;
}
