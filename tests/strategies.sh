#!/bin/sh
# Every strategy finds the bug of a buggy case; a randomised strategy run
# twice with the same seed does exactly the same (same execution, same
# token); --keep-going reports one distinct bug with its occurrences.
# usage: strategies.sh WEFT BUGGY_PROGRAM
set -u
weft=$1 prog=$2
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
summary() { # the lines that identify what a run found
	grep -E '^  \(|^  replay:|^weft: seed' "$1"
}
for strategy in dfs dpor bounded delay bounded-dpor pct pos random; do
	out1=$(mktemp) out2=$(mktemp)
	"$weft" run --no-progress --strategy "$strategy" --seed 42 --max-executions 2000 -- "$prog" 2>"$out1"
	status=$?
	[ "$status" -eq 1 ] || fail "$strategy: expected a bug (exit 1), got $status"
	case $strategy in
	pct | pos | random)
		grep -q '^weft: seed 42 ' "$out1" || fail "$strategy: the seed is not printed"
		"$weft" run --no-progress --strategy "$strategy" --seed 42 --max-executions 2000 -- "$prog" 2>"$out2"
		[ "$(summary "$out1")" = "$(summary "$out2")" ] ||
			fail "$strategy: the same seed gave another run: $(summary "$out1") / $(summary "$out2")"
		;;
	esac
	rm -f "$out1" "$out2"
done
# auto: DPOR needs 3 executions here; with a budget of 4 it stops after 2
# and gives the rest to preemption bounding and PCT in turn.
out=$(mktemp)
"$weft" run --no-progress --strategy auto --keep-going --max-executions 4 -- "$prog" 2>"$out"
grep -q 'DPOR did not finish in 2 executions.*preemption bounding.*PCT depth 3' "$out" ||
	fail "auto: the summary does not say what the second half of the budget covered"
grep -q 'explored 4 executions' "$out" || fail "auto: expected exactly 4 executions"
# Without a budget DPOR finishes in 3; the program is not instrumented, so
# PCT then samples the whole program for a short default budget.
"$weft" run --no-progress --strategy auto --keep-going -- "$prog" 2>"$out"
grep -q 'DPOR finished the operations weft sees in 3 executions; then [0-9]* executions sampled the whole program with PCT' "$out" ||
	fail "auto without a budget: expected DPOR's 3 executions, then PCT"
grep -q 'every interleaving of the operations weft sees was explored' "$out" ||
	fail "auto without a budget: expected complete for the operations weft sees"
"$weft" run --no-progress --strategy dfs --keep-going -- "$prog" 2>"$out"
grep -q '^weft: 1 distinct bug' "$out" || fail "keep-going: expected exactly one distinct bug"
grep -q 'shown by [0-9]* executions' "$out" || fail "keep-going: occurrences not reported"
grep -q 'every interleaving of the operations weft sees was explored' "$out" ||
	fail "keep-going: did not finish the space"
rm -f "$out"
"$weft" run --no-progress --strategy nosuch -- "$prog" 2>/dev/null
[ $? -eq 2 ] || fail "an unknown strategy must exit 2"
"$weft" run --no-progress --seed -3 -- "$prog" 2>/dev/null
[ $? -eq 2 ] || fail "a negative seed must exit 2"
[ "$failures" -eq 0 ] && echo "strategies: ok"
exit "$failures"
