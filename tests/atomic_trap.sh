#!/bin/sh
# Inline atomics in unmodified binaries (interpose/atomic_trap.c):
#   the lost wake-up through an atomic_int flag is found by dfs only because
#   the store is trapped (with WEFT_TRAP_ATOMICS=0 no schedule shows it);
#   the JSON counts the trapped instructions;
#   an atomic instruction weft cannot trap is named as not seen, with its
#   source line, and the run is complete only for the operations weft sees.
# usage: atomic_trap.sh WEFT LOST_WAKEUP_PROGRAM UNTRAPPABLE_PROGRAM
set -u
weft=$1 lost=$2 untrappable=$3
failures=0
out=$(mktemp)
trap 'rm -f "$out" "$out.json"' EXIT
fail() {
	echo "FAIL: $*"
	cat "$out"
	failures=$((failures + 1))
}

"$weft" run --no-progress --strategy dfs --json "$out.json" -- "$lost" 2>"$out"
[ $? -eq 1 ] && head -n 1 "$out" | grep -q '^weft: BUG deadlock:' ||
	fail "dfs with the store trapped: expected the deadlock"
grep -q 'atomic instruction (trapped) .*bug_atomic_flag_lost_wakeup\.c:[0-9]* (main)' "$out" ||
	fail "the report must show the trapped store with its source line"
grep -Eq '"trapped_instructions": [1-9]' "$out.json" ||
	fail "the JSON must count the trapped instructions"

WEFT_TRAP_ATOMICS=0 "$weft" run --no-progress --strategy dfs -- "$lost" 2>"$out"
[ $? -eq 0 ] || fail "dfs with trapping off: the store is invisible, no schedule shows the bug"

"$weft" run --no-progress --strategy dpor --json "$out.json" -- "$untrappable" 2>"$out"
[ $? -eq 0 ] || fail "untrappable: expected no bug"
grep -q '^weft: not seen: 1 atomic instruction weft could not trap: untrappable\.c:[0-9]* (never_called)$' "$out" ||
	fail "untrappable: the instruction must be named as not seen"
grep -q '; complete for the operations weft sees (' "$out" ||
	fail "untrappable: expected complete for the operations weft sees"
grep -q '"untrapped_instructions": 1, "sites": \["untrappable\.c:[0-9]* (never_called)"\]' "$out.json" ||
	fail "untrappable JSON: the site must be listed"

[ "$failures" -eq 0 ] && echo "atomic_trap: ok"
exit "$failures"
