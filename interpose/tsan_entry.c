/* The runtime's plain-access entry points of ThreadSanitizer's ABI, and
 * __tsan_init. Preloaded, libweft.so comes first in the lookup order, so an
 * instrumented program linked against libweft-tsan.so calls these under
 * `weft run`; the race detector checks every access of a thread weft
 * controls and ignores the others (before weft takes control, and in
 * threads that have exited). Function entries and exits are tracked in
 * every thread from the start, so that call stacks in reports are whole.
 *
 * __tsan_init, called by each instrumented module's constructor, switches
 * the detector on and notes the module, so that memcpy and friends
 * (hooks_mem.c) are checked only when instrumented code calls them. It
 * also refuses a program linked with ThreadSanitizer's own runtime. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <unistd.h>

#include "race.h"
#include "spin.h"
#include "tsan_ops.h"

#define WEFT_TSAN_BODY_ACCESS(addr, size, is_write, pc)                                            \
	do {                                                                                       \
		struct weft_race_thread *t_ = weft__race_thread();                                 \
		if (t_ && __builtin_expect(weft__race_npoints != 0, 0) && weft__race_point(pc))    \
			weft__race_point_schedule((uintptr_t)(addr), is_write, pc);                \
		if (t_) {                                                                          \
			weft__race_access(t_, (uintptr_t)(addr), size, is_write, pc);              \
			weft__spin_access((uintptr_t)(addr), is_write, pc);                        \
		}                                                                                  \
	} while (0)
/* C++ destructors store the vtable pointer their class already has: only
 * a store that changes it is a write. */
#define WEFT_TSAN_BODY_VPTR_UPDATE(slot, value, pc)                                                \
	do {                                                                                       \
		if (*(slot) != (value))                                                            \
			WEFT_TSAN_BODY_ACCESS(slot, sizeof *(slot), 1, pc);                        \
	} while (0)
#define WEFT_TSAN_BODY_FUNC_ENTRY(pc) weft__race_func_entry(pc)
#define WEFT_TSAN_BODY_FUNC_EXIT() weft__race_func_exit()
WEFT_TSAN_DEFINE_PLAIN()

#define MAX_MODULES 16
static struct {
	uintptr_t start, end;
} modules[MAX_MODULES];
static uint32_t nmodules;

static int find_module(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	uintptr_t pc = *(uintptr_t *)data;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && pc >= lo &&
		    pc < lo + ph->p_memsz) {
			if (nmodules < MAX_MODULES)
				modules[nmodules++].start = lo,
				modules[nmodules - 1].end = lo + ph->p_memsz;
			return 1;
		}
	}
	return 0;
}

bool weft__race_from_instrumented(uintptr_t pc)
{
	for (uint32_t i = 0; i < nmodules; i++)
		if (pc >= modules[i].start && pc < modules[i].end)
			return true;
	return false;
}

static void refuse_libtsan(void)
{
	static const char msg[] =
	    "this program is linked with ThreadSanitizer's runtime (libtsan), which weft "
	    "replaces: compile with -fsanitize=thread but link without it, against "
	    "libweft-tsan (-L<weft's lib dir> -lweft-tsan; see weft_instrument() in "
	    "WeftInstrument.cmake)";
	struct weft_shm *shm = weft__rt.shm;
	if (!shm) {
		(void)!write(2, "weft: ", 6);
		(void)!write(2, msg, sizeof msg - 1);
		(void)!write(2, "\n", 1);
		return;
	}
	snprintf(shm->message, sizeof shm->message, "%s", msg);
	shm->config_error = 1;
	_exit(WEFT_RUNTIME_EXIT_STATUS);
}

void __tsan_init(void)
{
	uintptr_t caller = (uintptr_t)__builtin_return_address(0);
	if (!weft__race_from_instrumented(caller))
		dl_iterate_phdr(find_module, &caller);
	if (weft__race_instrumented)
		return;
	if (dlsym(RTLD_NEXT, "__tsan_get_current_report"))
		refuse_libtsan();
	weft__race_instrumented = true;
	weft__race_reserve();
}

/* The annotation API: happens-before edges named by an address. */
void __tsan_release(void *addr)
{
	if (weft__race_thread())
		weft__race_release(weft__object_get(addr, WEFT_OBJECT_ATOMIC));
}

void __tsan_acquire(void *addr)
{
	if (weft__race_thread())
		weft__race_acquire(weft__object_get(addr, WEFT_OBJECT_ATOMIC));
}
