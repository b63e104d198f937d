// C++: one std::thread appends to a std::vector while another asks for its
// size, no lock. The vector's members are inlined into the program, so
// the accesses are instrumented and race.
// weft-expect: bug data-race
#include <thread>
#include <vector>

static std::vector<int> items;

int main()
{
	std::thread worker([] { items.push_back(42); });
	std::size_t n = items.size();
	worker.join();
	return n == 12345;
}
