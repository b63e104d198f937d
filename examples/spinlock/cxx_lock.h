/* libcxxlock.so: a spin lock as a C++ class, its members defined out of
 * line in the library so the program calls them through its GOT, by their
 * mangled names (_ZN4spin4Lock4lockEv ...). --yield-at names them by their
 * signatures: "spin::Lock::lock()"(void *self)->void=lock(1). */
#ifndef CXX_LOCK_H
#define CXX_LOCK_H

namespace spin
{

class Lock
{
      public:
	void lock();
	void unlock();

      private:
	int word_ = 0;
};

} // namespace spin

#endif
