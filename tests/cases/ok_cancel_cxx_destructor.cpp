// Cancellation unwinds C++ frames: a thread cancelled in sem_wait runs the
// destructor of the lock guard it holds (glibc's forced unwinding, exactly
// as without weft), so the mutex is free again; the destructor's unlock is
// a modelled step. The catch (...) that rethrows lets the unwinding go on,
// as it must.
//
// Count: main = C, K (cancel), J, then L U (it takes the mutex); the
// worker = S, L (std::lock_guard), the sem_wait, which can only end by
// acting on the request (A), U (the guard's destructor), E. K falls before
// S, between S and L, or after L (3 ways); the rest follows: 3 executions.
//
// weft-expect: ok 3
// weft-expect-dpor: 3
#include <cassert>
#include <mutex>
#include <pthread.h>
#include <semaphore.h>

static std::mutex m;
static sem_t never;
static bool destroyed, rethrown;

struct Mark {
	~Mark()
	{
		destroyed = true;
	}
};

static void *worker(void *)
{
	try {
		std::lock_guard<std::mutex> guard(m);
		Mark mark;
		sem_wait(&never);
	} catch (...) {
		rethrown = true;
		throw;
	}
	return nullptr;
}

int main()
{
	pthread_t t;
	void *result;
	sem_init(&never, 0, 0);
	pthread_create(&t, nullptr, worker, nullptr);
	pthread_cancel(t);
	pthread_join(t, &result);
	assert(result == PTHREAD_CANCELED);
	assert(destroyed && rethrown);
	std::lock_guard<std::mutex> guard(m);
	return 0;
}
