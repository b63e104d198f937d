#!/bin/sh
# The bounded strategies' exact counts. `weft run --strategy delay
# --max-bound B` runs bound 0, then 1, ..., then B, each from the start, so
# it takes S(0) + S(1) + ... + S(B) executions, S(b) being the number of
# schedules with at most b delays; it is complete (and stops early) at the
# first bound that prunes nothing. Derivations:
#
# Delays. The deterministic scheduler runs the thread of the last step
# while it can, else the next enabled one after it in round-robin order
# (T0, T1, ..., wrapping); running a thread that comes k enabled threads
# later costs k delays. Below, main is T0, creates C, joins J, exits X;
# worker i is Ti: start S, lock L, unlock U, exit E; "point" is a step
# where more than one thread is enabled.
#
# count_create_join: no step has two enabled threads (see its header),
#   so S(b) = 1 and bound 0 prunes nothing: 1 execution, complete, for
#   every B.
#
# count_main_and_worker_one_mutex (T0 = C L0 U0 J X, T1 = S L1 U1 E1):
#   with two threads a delay is a preemption: skipping the running thread
#   when it can run, as choosing is only possible then.
#   0 delays: C L0 U0, then J waits for E1: S L1 U1 E1 J X. S(0) = 1.
#   1 delay: the zero-delay run has two points (before L0 and before U0,
#     S enabled at both): delaying T0 at either, then running on without
#     delays, gives 2 schedules. S(1) = 3.
#   2 delays: after C S (first delay), T1 runs L1 U1 E1 with T0's L0
#     enabled before L1 and before E1 (not before U1: T1 holds the mutex):
#     2 more; after C L0 S, L1 is blocked and U0 then J force the rest: 0.
#     S(2) = 5.
#   3 delays: of those two, C S L1 U1 L0 leaves a point before U0 (E1
#     enabled): 1 more; C S L0 U0 ... has no point left. S(3) = 6, which
#     is every schedule (the file's DFS count), and bound 3 prunes nothing.
#   Executions: B = 0: 1; B = 1: 1 + 3 = 4; B = 2: 4 + 5 = 9 (incomplete
#   for B < 3); B = 3 and no --max-bound: 9 + 6 = 15, complete.
#
# count_mutex_counter_2 (T0 = C1 C2 J1 J2 X, Ti = Si Li Ui Ei):
#   0 delays: C1 C2 S1 L1 U1 E1, then after T1 exits round-robin goes on
#     with T2 (not T0, whose J1 is enabled): S2 L2 U2 E2 J1 J2 X. S(0) = 1.
#     (Preemption bounding's sticky scheduler may switch freely after E1,
#     which gives 3 schedules with 0 preemptions.)
#   1 delay: its points and the one thread each can run for 1 delay:
#     before C2 (S1), before S1 (S2), before L1, U1, E1 (S2 each), before
#     S2 after E1 (J1, skipping T2), before L2, U2, E2 (J1 each): 9 ways.
#     S(1) = 10.
#   2 delays: no point on the zero-delay run has three enabled threads, so
#     two 1-delay choices; count by the first, then the 1-delay points of
#     the zero-delay rest after it:
#       C1 S1: T1 runs L1 U1 E1 with C2 enabled (3 points), then C2
#         alone, then T0 goes on with J1 (point: S2), then forced: 4;
#       C1 C2 S2: T2 runs L2 U2 E2 with S1 enabled (3 points), then T1
#         alone (J1 waits for E1): 3;
#       C1 C2 S1 S2: L2 (point: L1), U2 alone, E2 (point: L1): 2;
#       C1 C2 S1 L1 S2: U1 alone, then points before E1 (L2) and, T2
#         coming first after T1 exits, before L2, U2 and E2 (J1 each): 4;
#       C1 C2 S1 L1 U1 S2: L2 U2 E2 with E1 enabled (3 points): 3;
#       J1 taken early (the last four ways): J2 waits for E2, no point: 0.
#     4 + 3 + 2 + 4 + 3 = 16. S(2) = 26.
#   Executions: B = 0: 1; B = 1: 1 + 10 = 11; B = 2: 11 + 26 = 37;
#   incomplete (the space has schedules with up to 7 delays).
#
# count_mutex_counter_3 (three workers): the zero-delay run is C1 C2 C3,
#   then T1, T2, T3 in turn, J1 J2 J3 X. Its points and the choices that
#   cost exactly 1: before C2 (S1), C3 (S1), S1 (S2), L1 U1 E1 (S2 each),
#   S2 after E1 (S3), L2 U2 E2 (S3 each), S3 after E2 (J1), L3 U3 E3 (J1
#   each): 14. S(0) = 1, S(1) = 15. Executions: B = 0: 1; B = 1: 16.
#   Preemption bound 0 alone is 13 executions here.
#
# An enumerator independent of weft (the programs' steps and enabling
# rules, both costs computed per schedule) agrees with every count above
# and with the preemption counts checked below, which are what
# --strategy bounded explored before delay bounding was added.
#
# Also: every case program that expects a bug (weft-expect: bug KIND) is
# found by delay bounding within 50 executions, with that kind; the
# summary and the JSON report name the kind of bound.
# usage: bounded.sh WEFT CASES_DIR (build/tests/cases) CASES_SOURCE_DIR
set -u
weft=$1 cases=$2 sources=$3
failures=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail() {
	echo "FAIL: $*"
	echo "--- weft said:"
	cat "$out"
	failures=$((failures + 1))
}

# expect STRATEGY PROGRAM B|none EXECUTIONS complete|INCOMPLETE [OPTIONS...]
expect() {
	strategy=$1 prog=$2 bound=$3 want=$4 state=$5
	shift 5
	[ "$bound" = none ] || set -- --max-bound "$bound" "$@"
	"$weft" run --no-progress --strategy "$strategy" "$@" -- "$cases/$prog" 2>"$out"
	status=$?
	what="$strategy $prog --max-bound $bound"
	[ "$status" -eq 0 ] || fail "$what: expected no bug (exit 0), got $status"
	line=$(grep '^weft: OK: no bug in' "$out")
	n=$(echo "$line" | sed -n 's/^weft: OK: no bug in \([0-9]*\) execution.*/\1/p')
	[ "$n" = "$want" ] || fail "$what: expected exactly $want executions, got '$n'"
	# complete: over everything, or over the operations weft sees (these
	# programs are not instrumented)
	echo "$line" | grep -Eq "; $state( for the operations weft sees)? \(" ||
		fail "$what: expected '$state'"
}

for b in 0 1 2; do
	expect delay count_create_join $b 1 complete
done
expect delay count_main_and_worker_one_mutex 0 1 INCOMPLETE
expect delay count_main_and_worker_one_mutex 1 4 INCOMPLETE
expect delay count_main_and_worker_one_mutex 2 9 INCOMPLETE
expect delay count_main_and_worker_one_mutex 3 15 complete
expect delay count_main_and_worker_one_mutex none 15 complete
expect delay count_mutex_counter_2 0 1 INCOMPLETE
expect delay count_mutex_counter_2 1 11 INCOMPLETE
expect delay count_mutex_counter_2 2 37 INCOMPLETE
expect delay count_mutex_counter_3 0 1 INCOMPLETE
expect delay count_mutex_counter_3 1 16 INCOMPLETE
# The runtime goes on with the same round-robin scheduler in a process of
# its own as in one forked from the fork server.
expect delay count_mutex_counter_2 2 37 INCOMPLETE --no-fork-server

# Preemption bounding is unchanged.
expect bounded count_main_and_worker_one_mutex 2 9 INCOMPLETE
expect bounded count_main_and_worker_one_mutex none 15 complete
expect bounded count_mutex_counter_2 0 3 INCOMPLETE
expect bounded count_mutex_counter_2 1 19 INCOMPLETE
expect bounded count_mutex_counter_2 2 68 INCOMPLETE
expect bounded count_mutex_counter_2 none 599 complete
expect bounded count_mutex_counter_3 0 13 INCOMPLETE
expect bounded count_mutex_counter_3 1 218 INCOMPLETE

# The summary and the JSON report say which bound and how far it got.
"$weft" run --no-progress --strategy delay --max-bound 2 --json "$out.json" \
	-- "$cases/count_mutex_counter_2" 2>"$out"
grep -q '^weft: coverage: every schedule with at most 2 delays explored (--max-bound 2)' "$out" ||
	fail "delay: the summary does not name the delay bound reached"
grep -q '"bound": {"kind": "delay", "explored": 2, "in_progress": null}' "$out.json" ||
	fail "delay: the JSON stats do not name the delay bound reached"
"$weft" run --no-progress --strategy delay --max-executions 20 --json "$out.json" \
	-- "$cases/count_mutex_counter_2" 2>"$out"
grep -q '^weft: coverage: every schedule with at most 1 delay explored; bound 2 was in progress' "$out" ||
	fail "delay: the summary of a run stopped in bound 2"
grep -q '"bound": {"kind": "delay", "explored": 1, "in_progress": 2}' "$out.json" ||
	fail "delay: the JSON stats of a run stopped in bound 2"
"$weft" run --no-progress --strategy bounded --json "$out.json" \
	-- "$cases/count_main_and_worker_one_mutex" 2>"$out"
grep -q '^weft: coverage: every schedule explored: preemption bound 3 covers them all' "$out" ||
	fail "bounded: the summary of a complete run"
grep -q '"bound": {"kind": "preemption", "explored": 3, "in_progress": null}' "$out.json" ||
	fail "bounded: the JSON stats of a complete run"
# bounded-dpor reports its bound the same way; it covers the whole space
# of the two-worker counter (2 happens-before orders) in fewer executions
# than bounded, and is cut short by --max-bound like it.
"$weft" run --no-progress --strategy bounded-dpor --json "$out.json" \
	-- "$cases/count_mutex_counter_2" 2>"$out"
grep -q '^weft: coverage: every happens-before order explored: preemption bound [0-9]* covers them all' "$out" ||
	fail "bounded-dpor: the summary of a complete run"
grep -q '"bound": {"kind": "preemption", "explored": [0-9]*, "in_progress": null}' "$out.json" ||
	fail "bounded-dpor: the JSON stats of a complete run"
n=$(sed -n 's/^weft: OK: no bug in \([0-9]*\) execution.*; complete.*/\1/p' "$out")
[ -n "$n" ] && [ "$n" -lt 599 ] || fail "bounded-dpor: expected a complete run in fewer than 599 executions"
"$weft" run --no-progress --strategy bounded-dpor --max-bound 1 --json "$out.json" \
	-- "$cases/count_mutex_counter_3" 2>"$out"
grep -q '^weft: coverage: every happens-before order of the schedules with at most 1 preemption explored (--max-bound 1)' "$out" ||
	fail "bounded-dpor: the summary does not name the bound reached"
grep -q 'INCOMPLETE (the --max-bound budget ran out)' "$out" ||
	fail "bounded-dpor --max-bound 1 must be incomplete"
grep -q '"bound": {"kind": "preemption", "explored": 1, "in_progress": null}' "$out.json" ||
	fail "bounded-dpor: the JSON stats do not name the bound reached"
n=$(sed -n 's/^weft: OK: no bug in \([0-9]*\) execution.*/\1/p' "$out")
[ -n "$n" ] && [ "$n" -lt 218 ] || fail "bounded-dpor --max-bound 1: expected fewer than bounded's 218 executions"
rm -f "$out.json"
# A shard whose subtrees --max-bound cut short is incomplete too.
"$weft" run --no-progress --strategy delay --max-bound 1 --shard 0/2 \
	-- "$cases/count_mutex_counter_2" 2>"$out"
grep -q 'INCOMPLETE (the --max-bound budget ran out)' "$out" ||
	fail "delay --shard 0/2 --max-bound 1 must be incomplete"

# Every buggy case program: delay bounding finds the bug it expects (the
# three-lock cycle needs two delays: 307 executions).
for source in "$sources"/*.c; do
	kind=$(sed -n 's/.*weft-expect: *bug  *\([a-z-]*\).*/\1/p' "$source" | head -n 1)
	[ -n "$kind" ] || continue
	options=$(sed -n 's/.*weft-options: *//p' "$source" | head -n 1)
	name=$(basename "$source" .c)
	# shellcheck disable=SC2086 # the case's options, split as run_case.sh does
	"$weft" run --no-progress --strategy delay --max-executions 500 $options \
		-- "$cases/$name" 2>"$out"
	status=$?
	if [ "$status" -ne 1 ] || ! head -n 1 "$out" | grep -q "^weft: BUG $kind:"; then
		fail "delay: $name: expected a '$kind' bug within 500 executions (exit $status)"
	fi
done

[ "$failures" -eq 0 ] && echo "bounded: ok"
exit "$failures"
