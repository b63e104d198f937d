/* A function-local static whose constructor reaches the same static again:
 * C++ throws recursive_init_error (std::terminate here). weft reports the
 * re-entry as misuse at the first execution, naming the guard.
 *
 * weft-expect: bug misuse
 */
#include <pthread.h>

struct Node {
	Node *self;
	Node();
};

static Node &root()
{
	static Node node;
	return node;
}

Node::Node() : self(&root()) {}

static void *worker(void *)
{
	return root().self;
}

int main()
{
	pthread_t t;
	pthread_create(&t, nullptr, worker, nullptr);
	pthread_join(t, nullptr);
	return 0;
}
