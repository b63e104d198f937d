// Synchronisation before main: <iostream> makes libstdc++ call pthread_once
// while it sets up its locale, and a global constructor initialises, locks
// and unlocks a mutex. All of it happens single-threaded before main: the
// fork server must still serve and none of it may appear as explored steps.
// main then has two workers that increment a counter under the mutex: no
// bug, in 151 executions under DFS, as the same program without the
// constructor and without <iostream>.
#include <cassert>
#include <iostream>
#include <pthread.h>

static pthread_mutex_t m;
static int counter;

struct Setup {
	Setup()
	{
		pthread_mutex_init(&m, nullptr);
		pthread_mutex_lock(&m);
		pthread_mutex_unlock(&m);
	}
};
static Setup setup;

static void *worker(void *)
{
	pthread_mutex_lock(&m);
	counter++;
	pthread_mutex_unlock(&m);
	return nullptr;
}

int main()
{
	pthread_t t1, t2;
	pthread_create(&t1, nullptr, worker, nullptr);
	pthread_create(&t2, nullptr, worker, nullptr);
	pthread_join(t1, nullptr);
	pthread_join(t2, nullptr);
	std::cout << "counter " << counter << std::endl;
	return counter == 2 ? 0 : 1;
}
