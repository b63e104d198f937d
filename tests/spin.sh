#!/bin/sh
# Spin-waits and progress (README, "Spin-waits on plain memory"): the
# livelock report names the loop's line and stack; a token whose
# interleaving holds spins replays the same visible steps; a long
# progressing run is no livelock; the step fuse is an error (exit 2) that
# names the option; with preemption turned off the spin is a hang again.
# usage: spin.sh WEFT CASES_BIN_DIR CASES_SRC_DIR QUEUE_LONG [ITEMS]
set -u
weft=$1 bin=$2 src=$3 queue=$4 items=${5:-100000}
out=$(mktemp) out2=$(mktemp)
trap 'rm -f "$out" "$out2"' EXIT
fail() {
	echo "FAIL: $*"
	cat "$out"
	exit 1
}

# The never-ending spin: livelock at the loop, with the caller in the stack.
loop=$(grep -n 'the spin' "$src/bug_spin_forever.c" | cut -d: -f1)
call=$(grep -n 'wait_for_go();' "$src/bug_spin_forever.c" | cut -d: -f1)
"$weft" run --no-progress -- "$bin/bug_spin_forever" 2>"$out"
[ $? -eq 1 ] || fail "bug_spin_forever: expected exit 1"
head -n 1 "$out" | grep -q "^weft: BUG livelock: T1 spins forever at bug_spin_forever.c:$loop (wait_for_go): no other thread can ever run" ||
	fail "bug_spin_forever: the headline does not name line $loop"
head -n 1 "$out" | grep -q "its stack: bug_spin_forever.c:$loop (wait_for_go) <- bug_spin_forever.c:$call (worker)" ||
	fail "bug_spin_forever: the stack does not name the caller at line $call"

# A bug behind spins: each replay shows exactly the same steps.
"$weft" run --no-progress -- "$bin/bug_spin_handoff" 2>"$out"
[ $? -eq 1 ] || fail "bug_spin_handoff: expected exit 1"
grep -q '  T0   spin ' "$out" || fail "bug_spin_handoff: no spin step in the interleaving"
steps() { sed -n '/^  interleaving/,/^$/p' "$1"; }
steps "$out" >"$out2.want"
token=$(sed -n 's/^  replay: weft replay .*\(weft1:[A-Za-z0-9_-]*\) -- .*/\1/p' "$out")
for i in 1 2 3; do
	"$weft" replay "$token" -- "$bin/bug_spin_handoff" >/dev/null 2>"$out"
	steps "$out" | diff "$out2.want" - >/dev/null || {
		rm -f "$out2.want"
		fail "bug_spin_handoff: replay $i took other steps"
	}
done
rm -f "$out2.want"

# A long run that makes progress all along: no livelock, no fuse.
"$weft" run --no-progress --strategy dfs --max-executions 1 -- "$queue" "$items" 2>"$out"
[ $? -eq 0 ] || fail "queue_long $items: expected exit 0"
grep -q '^weft: OK: no bug in 1 execution' "$out" || fail "queue_long $items: expected no bug"

# The fuse: a limit of weft's own, exit 2, naming the option.
"$weft" run --no-progress --max-steps 1000 -- "$queue" 1000 2>"$out"
[ $? -eq 2 ] || fail "the step fuse: expected exit 2"
grep -q "^weft: error: the execution reached 1000 steps (--max-steps), a limit of weft's own" "$out" ||
	fail "the step fuse: expected an error naming --max-steps"

# Spinners on each other's plain flags: weft cannot see the memory, so it
# stops with an error (exit 2) rather than guess livelock or hand-off.
"$weft" run --no-progress -- "$(dirname "$queue")/spin_pair" 2>"$out"
[ $? -eq 2 ] || fail "spin_pair: expected exit 2"
grep -q "^weft: error: T1, T2 spun 256 times in a row (preempted spin-waits on plain memory)" "$out" ||
	fail "spin_pair: expected the spin limit's message"

# Preemption off: the start-flag spin is stuck again, a hang.
WEFT_SPIN_QUANTUM_MS=0 "$weft" run --no-progress --hang-timeout 1 -- "$bin/bug_spin_forever" 2>"$out"
[ $? -eq 1 ] && head -n 1 "$out" | grep -q '^weft: BUG hang' ||
	fail "WEFT_SPIN_QUANTUM_MS=0: expected the old hang"
echo "ok spin.sh"
