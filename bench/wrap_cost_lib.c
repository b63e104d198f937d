/* libwrap_cost.so: the functions bench/wrap_cost.c calls through its PLT,
 * one of which weft wraps (wc_target, wc_lock, wc_unlock) and one it never
 * does (wc_direct, the same code as wc_target). */
int wc_direct(int *p, long v);
int wc_target(int *p, long v);
void wc_lock(int *lock);
void wc_unlock(int *lock);

int wc_direct(int *p, long v)
{
	return *p + (int)v;
}

int wc_target(int *p, long v)
{
	return *p + (int)v;
}

void wc_lock(int *lock)
{
	while (__sync_lock_test_and_set(lock, 1))
		continue;
}

void wc_unlock(int *lock)
{
	__sync_lock_release(lock);
}
