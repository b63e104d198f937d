#!/bin/sh
# The execution layer's modes (--threads=kernel|fiber, WEFT_THREADS): the
# same counts in both, the mode named in the JSON report, the system-call
# path of the thread-pointer switch, the fork server and one process per
# execution alike with fibers, a bad mode refused, a hang under fibers as
# under kernel threads, the blocking role's fall-back to kernel threads, and
# that with fibers and --snapshots executions start from the snapshot at
# the first branch point: main's prefix runs once, not once per execution.
# A spin-wait that needs preempting is preempted under fibers as on kernel
# threads: the same count.
# A call weft does not model that blocks the one kernel thread while other
# fibers could run is weft's limit (exit 2), never a hang of the program.
# usage: threads_modes.sh WEFT COUNTER HANG_PROGRAM PIPE_READER PREFIX_PROGRAM SPINNER
#        FLOCK_WORKER SNAPSHOT_HANDOFF
set -u
weft=$1 counter=$2 hang=$3 pipe_reader=$4 prefix=$5 spinner=$6 locker=$7 handoff=$8
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failures=0 checks=0
fail() {
	echo "FAIL $*"
	sed 's/^/  | /' "$out/err"
	failures=$((failures + 1))
}
pass() { echo "ok $*"; }
unset WEFT_THREADS WEFT_SNAPSHOTS

# counts MODE [ENV...] -- OPTIONS: "executions traces mode" of the counter
counts() {
	mode=$1
	shift
	env "$@" "$weft" run --no-progress --strategy dfs --threads="$mode" --json "$out/json" \
		-- "$counter" 2>"$out/err" >/dev/null
	n=$(sed -n 's/.*"executions": \([0-9]*\),.*/\1/p' "$out/json" | head -n 1)
	m=$(sed -n 's/.*"threads": "\([a-z]*\)".*/\1/p' "$out/json" | head -n 1)
	echo "$n $m"
}
checks=$((checks + 1))
kernel=$(counts kernel)
[ "$kernel" = "151 kernel" ] && pass "kernel threads: $kernel" || fail "kernel threads: '$kernel'"
for variant in "WEFT_X=1" "WEFT_FIBER_ARCH_PRCTL=1"; do
	checks=$((checks + 1))
	fiber=$(counts fiber "$variant")
	[ "$fiber" = "151 fiber" ] && pass "fibers ($variant): $fiber" ||
		fail "fibers ($variant): '$fiber'"
done

checks=$((checks + 1))
a=$("$weft" run --no-progress --threads=fiber --strategy dpor -- "$counter" 2>&1 | grep '^weft: OK')
b=$("$weft" run --no-progress --threads=fiber --strategy dpor --no-fork-server -- "$counter" 2>&1 |
	grep '^weft: OK')
a=$(echo "$a" | sed 's/ in [0-9.]* s;/;/') b=$(echo "$b" | sed 's/ in [0-9.]* s;/;/')
[ -n "$a" ] && [ "$a" = "$b" ] && pass "fibers: fork server and exec each agree: $a" ||
	{ echo "$a / $b" >"$out/err"; fail "fibers: fork server and exec each differ"; }

checks=$((checks + 1))
"$weft" run --threads=green -- "$counter" 2>"$out/err" >/dev/null
status=$?
[ "$status" -eq 2 ] && grep -q "kernel' or 'fiber'" "$out/err" && pass "refuses --threads=green" ||
	fail "--threads=green: exit $status"

checks=$((checks + 1))
WEFT_THREADS=green "$weft" run -- "$counter" 2>"$out/err" >/dev/null
status=$?
[ "$status" -eq 2 ] && grep -q "WEFT_THREADS needs 'kernel' or 'fiber'" "$out/err" &&
	pass "refuses WEFT_THREADS=green" || fail "WEFT_THREADS=green: exit $status"

checks=$((checks + 1))
"$weft" run --no-progress --threads=fiber --hang-timeout 1 -- "$hang" 2>"$out/err" >/dev/null
head -n 1 "$out/err" | grep -q '^weft: BUG hang:.*read()' &&
	! grep -q 'use --threads=kernel' "$out/err" &&
	pass "a read nobody else can feed is a hang under fibers, as on kernel threads" ||
	fail "hang under fibers"

checks=$((checks + 1))
"$weft" run --no-progress --threads=fiber --strategy dfs \
	--yield-at 'read(int, void *, size_t) -> ssize_t = blocking' -- "$pipe_reader" \
	2>"$out/err" >/dev/null
status=$?
[ "$status" -eq 0 ] && grep -q "cannot serve the blocking role.*running on kernel threads" \
	"$out/err" && grep -q '^weft: OK: no bug in 6 executions' "$out/err" &&
	! grep -q 'ran as fibers' "$out/err" &&
	pass "the blocking role falls back to kernel threads" || fail "blocking role under fibers"

checks=$((checks + 1))
"$weft" run --no-progress --threads=fiber --strategy dfs -- "$spinner" 2>"$out/err" >/dev/null
status=$?
[ "$status" -eq 0 ] && grep -q "^weft: OK: no bug in 132 executions" "$out/err" &&
	pass "a spin-wait under fibers is preempted: 132 executions, as on kernel threads" ||
	fail "spin-wait under fibers: exit $status"
# Started at the branch point, restored there in place or forked from the
# snapshot: the spin watch's timers are the process's own, not the first
# execution's (which a fork does not inherit: every spin-wait was once
# reported as a hang).
for restore in 1 0; do
	checks=$((checks + 1))
	WEFT_RESTORE=$restore "$weft" run --no-progress --threads=fiber --snapshots --strategy dfs \
		--hang-timeout 5 -- "$spinner" 2>"$out/err" >/dev/null
	status=$?
	[ "$status" -eq 0 ] && grep -q "^weft: OK: no bug in 132 executions" "$out/err" &&
		pass "a spin-wait with --snapshots (WEFT_RESTORE=$restore) is preempted: 132 executions" ||
		fail "spin-wait with --snapshots (WEFT_RESTORE=$restore): exit $status"
done

checks=$((checks + 1))
"$weft" run --no-progress --threads=fiber --strategy dfs --hang-timeout 1 -- "$locker" \
	2>"$out/err" >/dev/null
status=$?
[ "$status" -eq 2 ] &&
	grep -q "^weft: error: T1 waits in .*flock().*use --threads=kernel" "$out/err" &&
	pass "an unmodelled wait while other fibers could run: exit 2, naming --threads=kernel" ||
	fail "unmodelled wait under fibers: exit $status"
rm -f /tmp/weft-flock-* # the program's file, left by the execution weft ended

# prefix_runs EXECUTIONS OPTIONS...: how many times main's prefix ran
# (empty when weft did not report exactly EXECUTIONS executions, no bug)
prefix_runs() {
	executions=$1
	shift
	rm -f "$out/log"
	WEFT_TEST_PREFIX_LOG=$out/log "$weft" run --no-progress "$@" -- "$prefix" 2>"$out/err" \
		>/dev/null
	grep -q "^weft: OK: no bug in $executions executions" "$out/err" &&
		wc -c <"$out/log" | tr -d ' '
}
for run in "151 1:--threads=fiber --snapshots --strategy dfs" \
	"2 1:--threads=fiber --snapshots --strategy dpor" "151 151:--threads=fiber --strategy dfs" \
	"151 151:--threads=kernel --snapshots --strategy dfs" \
	"151 151:--threads=fiber --snapshots --strategy dfs --no-fork-server"; do
	checks=$((checks + 1))
	expected=${run%%:*} options=${run#*:}
	executions=${expected% *} runs=${expected#* }
	# shellcheck disable=SC2086
	got=$(prefix_runs "$executions" $options)
	[ "$got" = "$runs" ] && pass "$options: $executions executions, main's prefix ran $got time(s)" ||
		fail "$options: main's prefix ran '$got' times, expected $runs"
done

# Where the process can restore in place, executions after the first start
# at the branch point without a fork (the summary and the JSON say so);
# WEFT_RESTORE=0 forks each from the snapshot instead, with the reason.
checks=$((checks + 1))
"$weft" run --no-progress --threads=fiber --snapshots --strategy dfs --json "$out/json" \
	-- "$prefix" 2>"$out/err" >/dev/null
if grep -q "^weft: 150 of 151 executions started at the first branch point, the process restored in place" "$out/err" &&
	grep -q '"execution": "snapshot-restore-in-place", "restored_executions": 150' "$out/json"; then
	pass "--snapshots: 150 of 151 executions restored in place at the branch point"
else
	fail "--snapshots: the executions were not restored in place at the branch point"
fi
checks=$((checks + 1))
got=$(WEFT_RESTORE=0 prefix_runs 151 --threads=fiber --snapshots --strategy dfs)
if [ "$got" = 1 ] && grep -q "not restored in place: WEFT_RESTORE=0 turned it off" "$out/err"; then
	pass "--snapshots with WEFT_RESTORE=0: a fork from the snapshot per execution, prefix ran once"
else
	fail "--snapshots with WEFT_RESTORE=0: prefix ran '$got' times"
fi

# The process restored in place at the branch point serves the explorer
# itself; the fork server takes over again when it ends: in an execution
# (a crash: a new one is made, and later executions start at the branch
# point again), between two (it could not put itself back: later ones are
# forked from the snapshot), or holding a request that must start from
# main (the sampling after DPOR under the default strategy).
# snapshot_run ARGUMENT OPTIONS...: weft's summary lines
snapshot_run() {
	argument=$1
	shift
	"$weft" run --no-progress --threads=fiber --snapshots "$@" -- "$handoff" "$argument" \
		2>"$out/err" >/dev/null
	grep -E '^weft: (BUG|OK|explored|note|[0-9]+ of)|replay:' "$out/err"
}
started() { # EXECUTIONS TOTAL: the summary's count of starts at the branch point
	echo "$summary" | grep -q "^weft: $1 of $2 executions started at the first branch point"
}
checks=$((checks + 1))
summary=$(snapshot_run crash --strategy dpor)
token=$(echo "$summary" | sed -n 's/.*replay: weft replay \(weft1:[^ ]*\).*/\1/p')
replayed=$("$weft" replay "$token" -- "$handoff" crash 2>&1 | grep -c '^weft: BUG crash')
if echo "$summary" | grep -q '^weft: BUG crash' && started 2 3 && [ "$replayed" = 1 ]; then
	pass "--snapshots: a crash in the process restored at the branch point, in execution 3, replayed"
else
	fail "--snapshots, a crash at the branch point: $summary (replayed: $replayed)"
fi
checks=$((checks + 1))
summary=$(snapshot_run crash --strategy dpor --keep-going)
if echo "$summary" | grep -q '^weft: explored 6 executions' && started 5 6; then
	pass "--snapshots --keep-going: after the crash a new process serves at the branch point"
else
	fail "--snapshots --keep-going after a crash: $summary"
fi
checks=$((checks + 1))
summary=$(snapshot_run child --strategy dpor)
if echo "$summary" | grep -q '^weft: OK: no bug in 6 executions' && started 3 6 &&
	echo "$summary" | grep -q 'not restored in place: the execution left a child process'; then
	pass "--snapshots: a process that cannot put itself back hands over between executions"
else
	fail "--snapshots, a child process left at the branch point: $summary"
fi
checks=$((checks + 1))
summary=$(snapshot_run ok)
total=$(echo "$summary" | sed -n 's/^weft: OK: no bug in \([0-9]*\) executions.*/\1/p')
if [ -n "$total" ] && [ "$total" -gt 6 ] && started 5 "$total" &&
	echo "$summary" | grep -q 'some executions were not restored in place: the randomised and bounded policies draw before the first branch point'; then
	pass "--snapshots, default strategy: 5 DPOR executions at the branch point, $((total - 6)) sampled from main, as the note says"
else
	fail "--snapshots, default strategy: $summary"
fi
checks=$((checks + 1))
summary=$(snapshot_run fd --strategy dpor)
if echo "$summary" | grep -q '^weft: OK: no bug in 6 executions' && ! started 5 6 &&
	echo "$summary" | grep -q 'no snapshot was taken (--snapshots): the program holds other descriptors'; then
	pass "--snapshots: a descriptor opened before the branch point, no snapshot, the reason said"
else
	fail "--snapshots, a descriptor opened before the branch point: $summary"
fi

echo "threads_modes.sh: $checks checks, $failures failed"
exit "$failures"
