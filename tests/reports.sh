#!/bin/sh
# What the reports say, read as a person reads them: the test's own line in
# the "at" column (through the program's own wrapper, past a library
# without debug information, past std::thread), whole stacks under the
# table, demangled C++ names, the stuck thread's stack in a hang, stdout
# and stderr in the order written, and the coverage lines.
# usage: reports.sh WEFT REPORTS_DIR EXAMPLES_DIR CASES_DIR
set -u
weft=$1 dir=$2 examples=$3 cases=$4
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
has() { # file, fixed text
	grep -qF -- "$2" "$1" || fail "$(basename "$1"): expected the text: $2"
}
lacks() {
	! grep -qF -- "$2" "$1" || fail "$(basename "$1"): unexpected text: $2"
}
run() { # name, weft options..., -- program
	name=$1
	shift
	"$weft" run --no-progress --json "$tmp/$name.json" "$@" 2>"$tmp/$name.txt" >/dev/null
}

# A deadlock through the program's own wrapper: each step names the
# wrapper's line and the test's, and the stacks section lists both.
run wrapper -- "$dir/wrapper_main"
has "$tmp/wrapper.txt" "mutex#1 (a)              wrapper_lock.c:9 (wrapper_lock) <- wrapper_main.c:13 (forward)"
has "$tmp/wrapper.txt" "at wrapper_lock.c:9 (wrapper_lock) <- wrapper_main.c:24 (backward)"
has "$tmp/wrapper.txt" "  *     2  T1   start                                                 wrapper_main.c:11 (forward)"
has "$tmp/wrapper.txt" "stacks (innermost first; > the program's own code):"
has "$tmp/wrapper.txt" "      > wrapper_main.c:14 (forward)"
# glibc's thread start below the program's frames: kernel threads only (a
# fiber starts from weft's own entry, which the stacks leave out).
[ "${WEFT_THREADS:-kernel}" = fiber ] || has "$tmp/wrapper.txt" "        pthread_create.c:"
has "$tmp/wrapper.json" '{"at": "wrapper_main.c:14 (forward)", "file": "'
has "$tmp/wrapper.json" '"line": 14, "own": true}'

# A library without debug information or symbols: library+offset in the
# stack, the test's line in the table.
run hidden -- "$dir/hidden_main"
has "$tmp/hidden.txt" "mutex#1                  hidden_main.c:8 (main)"
grep -qE '^        libreport_hidden\.so\+0x[0-9a-f]+$' "$tmp/hidden.txt" ||
	fail "hidden: no library+offset frame in the stack"
has "$tmp/hidden.txt" "        hidden_take_twice+0x"

# C++: demangled names of objects and functions, std::thread's frames in
# libstdc++ passed over for main's line.
run cxx_static -- "$cases/t3_misuse_cxx_static_reentered"
has "$tmp/cxx_static.txt" "once#1 (guard variable for root()::node)"
has "$tmp/cxx_static.txt" "      > t3_misuse_cxx_static_reentered.cpp:20 (Node::Node)"
lacks "$tmp/cxx_static.txt" "_ZGV"
run cxx_thread -- "$examples/cxx_timeout_tie"
grep -qE '^        0  T0   pthread_create +T1 +cxx_timeout_tie\.cpp:[0-9]+ \(main\)$' \
	"$tmp/cxx_thread.txt" || fail "cxx_thread: step 0 does not name main's line"
lacks "$tmp/cxx_thread.txt" "_ZNSt6thread"
lacks "$tmp/cxx_thread.txt" "libstdc++.so.6+0x" # std::thread's start routine is not shown
has "$tmp/cxx_thread.json" '{"at": "std::thread::join+0x'
# The thread that aborted: its stack where assert() was called.
has "$tmp/cxx_thread.txt" "T0   aborted after pthread_join(T1)  at cxx_timeout_tie.cpp:65 (main)"
has "$tmp/cxx_thread.txt" "    T0, aborted:"
has "$tmp/cxx_thread.txt" "      > cxx_timeout_tie.cpp:65 (main)"

# A crash: the stack of the faulting instruction.
run crash -- "$cases/bug_crash"
has "$tmp/crash.txt" "T0   crashed after pthread_mutex_lock(mutex#1 (m)); holds mutex#1 (m)  at bug_crash.c:43 (main)"
has "$tmp/crash.txt" "    T0, crashed:"
has "$tmp/crash.json" '"stopped": "crashed", "stack": [{"at": "bug_crash.c:43 (main)"'

# A hang: the stuck thread's stack, from outside the process; the message
# says once that weft does not control the call. The read of a pipe nobody
# writes is first a descriptor wait, then, with nobody else able to run, a
# real wait (interpose/fiber_io.c).
run hang --hang-timeout 1 -- "$cases/bug_hang_read"
has "$tmp/hang.txt" "    T1, stuck:"
has "$tmp/hang.txt" "      > bug_hang_read.c:18 (reader)"
has "$tmp/hang.txt" "T1   stuck (see above) after descriptor wait()  at bug_hang_read.c:18 (reader)"
[ "$(grep -o 'does not control' "$tmp/hang.txt" | head -n 3 | wc -l)" -le 2 ] ||
	fail "hang: 'does not control' repeated"

# A thread spinning on memory: where it spins (walked from outside when it
# hangs; at the scheduling point when weft preempts the spin).
# Spin preemption off (WEFT_SPIN_QUANTUM_MS=0): the spin is a hang.
WEFT_SPIN_QUANTUM_MS=0
export WEFT_SPIN_QUANTUM_MS
run spin --hang-timeout 1 -- "$dir/spin_hang"
unset WEFT_SPIN_QUANTUM_MS
grep -qE '^      > spin_hang\.c:1[78] \(wait_flag\)$' "$tmp/spin.txt" ||
	fail "spin: the stack does not show where the thread spins"

# A waiting thread is not a wake-up. The bug is found by PCT sampling, whose
# random seed decides which object weft meets first, so the numbers differ.
run lost_wakeup -- "$examples/lost_wakeup"
grep -qE 'blocked in pthread_cond_wait\(cond#[0-9]+ \(ready_cond\)\) \(waiting\)  at lost_wakeup\.c:' \
	"$tmp/lost_wakeup.txt" || fail "lost_wakeup: the waiting thread is not reported as waiting"
! grep -qE 'blocked in pthread_cond_wait\(cond#[0-9]+ \(ready_cond\)\) \(wake-up\)' "$tmp/lost_wakeup.txt" ||
	fail "lost_wakeup: a waiting thread is reported as a wake-up"

# stdout and stderr, in the order written, in the text and the JSON; and
# PCT's coverage counts the execution that found the bug.
run tap --strategy pct --seed 7 -- "$dir/tap_output"
has "$tmp/tap.txt" "  the program's last output (stdout and stderr, as written):"
printf '    | 1..2\n    | # starting (stderr)\n    | # worker ran\n    | ok 1 - joined\n    | not ok 2 - the answer was lost\n' >"$tmp/want"
grep -F '    | ' "$tmp/tap.txt" >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || fail "tap: the output is not both streams in order: $(cat "$tmp/got")"
has "$tmp/tap.json" '"output": "1..2\n# starting (stderr)\n# worker ran\nok 1 - joined\nnot ok 2 - the answer was lost\n"'
has "$tmp/tap.txt" "weft: coverage: PCT depth 3: each execution finds a bug of depth <= 3 with probability >= 1/(n*k^(d-1)) = 0.02 (n = 2 threads, k = 5 steps)"
has "$tmp/tap.txt" "weft: 1 distinct trace (happens-before orders) among the executions"
has "$tmp/tap.json" '"distinct_traces": 1,'

# auto's coverage, whole on stderr and in the JSON.
run auto --strategy auto --seed 1 --max-executions 20 -- "$dir/many_orders"
grep -qE '^weft: coverage: DPOR did not finish in 10 executions .* and PCT depth 3: .*\(n = 5 threads, k = [0-9]+ steps\)$' \
	"$tmp/auto.txt" || fail "auto: the coverage line is cut: $(grep coverage "$tmp/auto.txt")"
grep -qE '"coverage": "DPOR did not finish .*\(n = 5 threads, k = [0-9]+ steps\)"' "$tmp/auto.json" ||
	fail "auto: the JSON coverage is cut"

# A replay keeps stacks from the start.
token=$(sed -n 's/.*"token": "\([^"]*\)".*/\1/p' "$tmp/wrapper.json" | head -n 1)
"$weft" replay --json "$tmp/replay.json" "$token" -- "$dir/wrapper_main" 2>"$tmp/replay.txt" >/dev/null
has "$tmp/replay.txt" "      > wrapper_main.c:14 (forward)"
has "$tmp/replay.json" '"step": 3, "thread": 1, "op": "pthread_mutex_lock"'

# --html: refused with -j (one exploration's bugs per page), and a page
# that cannot be written is an error even when no bug was found.
"$weft" run --no-progress -j 2 --html "$tmp/x.html" -- "$dir/many_orders" >/dev/null 2>"$tmp/j.txt"
[ $? -eq 2 ] || fail "--html with -j: expected exit status 2"
has "$tmp/j.txt" "--html shows one exploration's bugs; it cannot be combined with -j"
"$weft" run --no-progress --max-executions 2 --html "$tmp/no/such/dir.html" -- "$dir/many_orders" \
	>/dev/null 2>"$tmp/w.txt"
[ $? -eq 2 ] || fail "--html to an unwritable path: expected exit status 2"
has "$tmp/w.txt" "weft: cannot write the HTML report to $tmp/no/such/dir.html"

[ "$failures" -eq 0 ] && echo "reports: all checks passed"
[ "$failures" -eq 0 ]
