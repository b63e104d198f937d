// A global service object owns a background std::thread and stops it in its
// destructor, which runs at the process exit after main returns; so does a
// function-local static's. The destructors run under weft's control with
// the background threads still scheduled, so each stop request reaches its
// thread and the joins return (they used to be frozen at the exit: a false
// deadlock).
//
// Count: the main thread runs C1 (the global's thread T1, created before
// main), then in main G (the local static's guard), I2 (its sem_init), C2
// (its thread T2), the return and X (the process exit), then the
// destructors, the local static's first (constructed last): P2 (post), J2
// (join), then the global's P1, J1. Each Tn = Sn (start), Wn (sem_wait,
// enabled by Pn), En. Everything but the starts is forced: C1 G I2 C2 X P2
// W2 E2 J2 P1 W1 E1 J1. S2 falls in one of the 3 gaps from C2 to W2, S1 in
// one of the 10 from C1 to W1, in either order when they share a gap:
// 3 x 10 + 3 = 33 executions.
//
// weft-expect: ok 33
// DPOR: the process exit is ordered with everything: 25 executions for
// the 6 traces.
// weft-expect-dpor: 25 6
#include <pthread.h>
#include <semaphore.h>
#include <thread>

namespace
{

class Service
{
      public:
	Service()
	{
		sem_init(&stop_, 0, 0);
		worker_ = std::thread([this] { sem_wait(&stop_); });
	}
	~Service()
	{
		sem_post(&stop_);
		worker_.join();
	}

      private:
	sem_t stop_;
	std::thread worker_;
};

Service global_service;

Service &local_service()
{
	static Service service;
	return service;
}

} // namespace

int main()
{
	local_service();
	return 0;
}
