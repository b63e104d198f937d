#!/bin/sh
# The oracle of bench/programs/one_in_252.c, whose assertion fails on one
# log of the 252 (C(10,5)) orders of two threads' five critical sections:
# DPOR finds the bug (exit 1); with --keep-going it explores exactly 252
# executions, 252 distinct traces, complete, with one failing execution;
# and the bug's token replays to the same kind over the same interleaving.
# usage: one_in_252.sh WEFT PROGRAM...   (each variant of the program)
set -u
weft=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
	echo "FAIL $(basename "$prog"): $*"
	failures=$((failures + 1))
}
field() { # FIELD JSON: the first number after "FIELD": in a JSON report
	sed -n "s/.*\"$1\": \([0-9][0-9]*\).*/\1/p" "$2" | head -n 1
}
steps() { # JSON: the first bug's interleaving, one "step thread" per line
	sed -n 's/.*{"step": \([0-9]*\), "thread": \([0-9]*\),.*/\1 \2/p' "$1"
}
for prog in "$@"; do
	rm -f "$work"/*.json
	"$weft" run --no-progress --strategy dpor --json "$work/first.json" -- "$prog" 2>/dev/null
	status=$?
	[ "$status" -eq 1 ] || fail "dpor: expected the bug (exit 1), got exit $status"
	grep -q '"kind": "assertion"' "$work/first.json" || fail "dpor: expected an assertion"

	"$weft" run --no-progress --strategy dpor --keep-going --json "$work/all.json" \
		-- "$prog" 2>/dev/null
	status=$?
	[ "$status" -eq 1 ] || fail "dpor --keep-going: expected exit 1, got $status"
	# not instrumented: complete over the operations weft sees
grep -q '"seen_complete": true' "$work/all.json" || fail "dpor --keep-going: not complete"
	n=$(field executions "$work/all.json")
	[ "$n" = 252 ] || fail "dpor --keep-going: expected exactly 252 executions, got '$n'"
	n=$(field distinct_traces "$work/all.json")
	[ "$n" = 252 ] || fail "dpor --keep-going: expected 252 distinct traces, got '$n'"
	n=$(field distinct_bugs "$work/all.json")
	[ "$n" = 1 ] || fail "dpor --keep-going: expected one distinct bug, got '$n'"
	n=$(field occurrences "$work/all.json")
	[ "$n" = 1 ] || fail "dpor --keep-going: expected one failing execution, got '$n'"

	token=$(sed -n 's/.*"token": "\(weft1:[A-Za-z0-9_-]*\)".*/\1/p' "$work/first.json" |
		head -n 1)
	[ -n "$token" ] || fail "no token in the report"
	"$weft" replay --json "$work/replay.json" "$token" -- "$prog" >/dev/null 2>&1
	status=$?
	[ "$status" -eq 1 ] || fail "replay of $token: expected the bug (exit 1), got $status"
	grep -q '"kind": "assertion"' "$work/replay.json" ||
		fail "replay of $token: expected an assertion"
	n=$(field executions "$work/replay.json")
	[ "$n" = 1 ] || fail "replay of $token: expected one execution, got '$n'"
	[ "$(steps "$work/first.json")" = "$(steps "$work/replay.json")" ] ||
		fail "replay of $token followed another interleaving"
	[ -n "$(steps "$work/replay.json")" ] || fail "replay of $token: no interleaving"
done
# PCT with depth 3 finds a bug of depth 3: the two-preemption log (the
# second program). Each of its d - 1 = 2 change points applies at its own
# step; the seeds are fixed, so the verdicts are too (found after 606, 272,
# 212, 34 and 91 executions).
if [ $# -ge 2 ]; then
	for seed in 1 2 3 4 5; do
		"$weft" run --no-progress --strategy pct --pct-depth 3 --seed "$seed" \
			--max-executions 1000 -- "$2" >/dev/null 2>&1
		status=$?
		[ "$status" -eq 1 ] ||
			fail "pct --pct-depth 3 --seed $seed: the depth-3 bug was not found in 1000 executions"
	done
fi
[ "$failures" -eq 0 ] && echo "one_in_252: ok ($# programs)"
exit "$failures"
