#!/bin/sh
# Raw futexes beyond the case programs:
#   a futex operation weft does not model stops exploration with exit 2
#   and a message naming it (never a hang, never a bug of the program);
#   libstdc++'s futex users (std::atomic<T>::wait/notify, std::counting_semaphore, std::latch,
#   std::barrier) are explored completely, by DFS and by DPOR. (The
#   C++ example examples/cxx_promise_future.cpp covers std::promise,
#   std::future and std::async.)
#   a function-local static in a program linked with -static-libstdc++,
#   whose own __cxa_guard_acquire waits with syscall(SYS_futex), passes;
#   GLib's GMutex, GCond, GRWLock and GRecMutex are explored completely
#   (when libglib2.0-dev was there to build the program).
# usage: futex.sh WEFT UNMODELLED_PROGRAM CXX_PROGRAM STATIC_GUARD_PROGRAM [GLIB_PROGRAM]
set -u
weft=$1 unmodelled=$2 cxx=$3 static_guard=$4 glib=${5:-}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
failures=0

fail() {
	failures=$((failures + 1))
	echo "FAIL $*"
	echo "--- weft said:"
	cat "$out"
}

# unmodelled OP NAME: the program's OP stops weft with exit 2 naming NAME.
unmodelled() {
	"$weft" run --no-progress --hang-timeout=60 -- "$unmodelled" "$1" 2>"$out"
	status=$?
	[ "$status" -eq 2 ] || { fail "$1: expected exit 2, got $status"; return; }
	grep -q "^weft: .*called $2.*which weft does not model" "$out" ||
		fail "$1: expected a message naming $2"
}

unmodelled lock_pi "the futex operation FUTEX_LOCK_PI"
unmodelled wait_requeue_pi "the futex operation FUTEX_WAIT_REQUEUE_PI"
unmodelled waitv "the system call futex_waitv"
unmodelled shared "syscall(SYS_futex) on a word in memory shared with other processes"

# The counts below are those of the calls weft models, with the programs'
# inline atomic instructions left untrapped (their loads are unseen anyway).
export WEFT_TRAP_ATOMICS=0

# Exact counts: 24 executions, 24 distinct traces (DPOR runs one each).
for strategy in dfs dpor; do
	"$weft" run --no-progress --strategy $strategy -- "$cxx" 2>"$out"
	status=$?
	[ "$status" -eq 0 ] || fail "$cxx ($strategy): expected exit 0, got $status"
	grep -q '^weft: OK: no bug in 24 executions.*; complete' "$out" ||
		fail "$cxx ($strategy): expected exactly 24 executions, complete"
	grep -q '^weft: 24 distinct traces' "$out" || fail "$cxx ($strategy): expected 24 traces"
done

# The static guard: the guard's atomics are invisible, so the constructor's
# sleep is the only choice left: the worker starts and waits in the futex
# while main constructs; 1 execution.
"$weft" run --no-progress --strategy dfs -- "$static_guard" 2>"$out"
status=$?
[ "$status" -eq 0 ] || fail "$static_guard: expected exit 0, got $status"
grep -q '^weft: OK: no bug in 1 execution.*; complete' "$out" ||
	fail "$static_guard: expected exactly 1 execution, complete"

# GLib: 703 executions (DFS; GLib's atomics are invisible to DPOR).
if [ -n "$glib" ]; then
	"$weft" run --no-progress --strategy dfs -- "$glib" 2>"$out"
	status=$?
	[ "$status" -eq 0 ] || fail "$glib: expected exit 0, got $status"
	grep -q '^weft: OK: no bug in 703 executions.*; complete' "$out" ||
		fail "$glib: expected exactly 703 executions, complete"
fi

if [ "$failures" -ne 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "futex.sh: all checks passed"
