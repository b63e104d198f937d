/* GLib's own locks, which wait in raw futexes through syscall(): a
 * GMutex and a GCond (futex words of GLib's own), then a GRWLock and a
 * GRecMutex (pthread objects underneath). A worker waits for main's
 * signal, then updates a counter under the write lock and the recursive
 * mutex taken twice; main reads it under the read lock. Correct: weft
 * explores every interleaving (tests/futex.sh checks the exact count),
 * where it used to report a hang in futex(). */
#include <assert.h>
#include <glib.h>

static GMutex m;
static GCond c;
static GRWLock rw;
static GRecMutex rec;
static int ready, seen;

static gpointer waiter(gpointer arg)
{
	(void)arg;
	g_mutex_lock(&m);
	while (!ready)
		g_cond_wait(&c, &m);
	g_mutex_unlock(&m);
	g_rw_lock_writer_lock(&rw);
	g_rec_mutex_lock(&rec);
	g_rec_mutex_lock(&rec);
	seen++;
	g_rec_mutex_unlock(&rec);
	g_rec_mutex_unlock(&rec);
	g_rw_lock_writer_unlock(&rw);
	return NULL;
}

int main(void)
{
	GThread *a = g_thread_new("a", waiter, NULL);
	g_mutex_lock(&m);
	ready = 1;
	g_cond_signal(&c);
	g_mutex_unlock(&m);
	g_rw_lock_reader_lock(&rw);
	int s = seen;
	g_rw_lock_reader_unlock(&rw);
	(void)s;
	g_thread_join(a);
	assert(seen == 1);
	return 0;
}
