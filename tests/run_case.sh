#!/bin/sh
# Runs one case program under weft and checks the expectations written in
# its header comment:
#   weft-expect: ok EXECUTIONS      no bug, complete, exactly that many executions
#                                   under --strategy dfs (the exhaustive oracle);
#                                   the default strategy must then finish with no
#                                   bug too
#   weft-expect: ok -               the same where depth-first search takes too
#                                   long: only the default strategy runs
#   weft-expect: bug KIND           under the default strategy, the first bug has
#                                   that kind; its replay token
#                                   brings the same kind back, three times in a row
#   weft-expect-dpor: M             with an ok case: --strategy dpor explores exactly
#                                   M executions, M distinct traces (optimal)
#   weft-expect-dpor: M T           the same where DPOR is knowingly not optimal: M
#                                   executions covering T distinct traces
#   weft-expect-dpor: bug KIND      with a bug case: --strategy dpor finds it too, and
#                                   its token brings it back
#   weft-options: ...               extra options for weft run
#   weft-env: VAR=VALUE ...         environment for every weft command of the case
#                                   (e.g. WEFT_TRAP_ATOMICS=0 where the counts are
#                                   those of the calls weft models, atomics unseen)
# usage: run_case.sh WEFT SOURCE BINARY
set -u
weft=$1 source=$2 binary=$3
expect=$(sed -n 's/.*weft-expect: *//p' "$source" | head -n 1)
options=$(sed -n 's/.*weft-options: *//p' "$source" | head -n 1)
for assignment in $(sed -n 's/.*weft-env: *//p' "$source" | head -n 1); do
	export "${assignment?}"
done
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail() {
	echo "FAIL $(basename "$source"): $*"
	echo "--- weft said:"
	cat "$out"
	exit 1
}
set -- $expect
# The counts of `ok` lines are those of the exhaustive search: pin it (an
# option of the case's own comes later and wins).
pin=
[ "$1" = ok ] && [ "$2" != - ] && pin="--strategy dfs"
# shellcheck disable=SC2086
"$weft" run --no-progress $pin $options -- "$binary" 2>"$out"
status=$?
case "$1" in
ok)
	[ "$status" -eq 0 ] || fail "expected no bug (exit 0), got exit $status"
	line=$(grep '^weft: OK: no bug in' "$out")
	n=$(echo "$line" | sed -n 's/^weft: OK: no bug in \([0-9]*\) execution.*/\1/p')
	[ "$2" = - ] || [ "$n" = "$2" ] || fail "expected exactly $2 executions, got '$n'"
	# Complete over everything, or over the operations weft sees in a build
	# that is not instrumented (the summary names what it did not see).
	echo "$line" | grep -Eq '; complete( for the operations weft sees)? \(' ||
		fail "expected a complete exploration"
	# The default strategy finishes too, without a bug.
	if [ "$2" != - ]; then
		# shellcheck disable=SC2086
		"$weft" run --no-progress $options -- "$binary" 2>"$out"
		[ $? -eq 0 ] || fail "the default strategy: expected no bug"
		grep -Eq '^weft: OK: no bug in [0-9]+ executions? in .*; complete' "$out" ||
			fail "the default strategy: expected a finished exploration"
	fi
	# Optimal DPOR: exactly one execution per happens-before order, the
	# number of distinct traces the exhaustive run above covered.
	dpor=$(sed -n 's/.*weft-expect-dpor: *//p' "$source" | head -n 1)
	if [ -n "$dpor" ]; then
		set -- $dpor
		dpor_executions=$1 dpor_traces=${2:-$1}
		# shellcheck disable=SC2086
		"$weft" run --no-progress --strategy dpor $options -- "$binary" 2>"$out"
		[ $? -eq 0 ] || fail "dpor: expected no bug"
		m=$(sed -n 's/^weft: OK: no bug in \([0-9]*\) execution.*/\1/p' "$out")
		[ "$m" = "$dpor_executions" ] ||
			fail "dpor: expected exactly $dpor_executions executions, got '$m'"
		traces=$(sed -n 's/^weft: \([0-9]*\) distinct trace.*/\1/p' "$out")
		[ "$traces" = "$dpor_traces" ] ||
			fail "dpor: expected $dpor_traces distinct traces, got '$traces'"
	fi
	;;
bug)
	[ "$status" -eq 1 ] || fail "expected a bug (exit 1), got exit $status"
	head -n 1 "$out" | grep -q "^weft: BUG $2:" || fail "expected a '$2' bug"
	token=$(sed -n 's/^  replay: weft replay .*\(weft1:[A-Za-z0-9_-]*\) -- .*/\1/p' "$out")
	[ -n "$token" ] || fail "no replay token in the report"
	replay_options=$(sed -n 's/^  replay: weft replay \(.*\)weft1:.*/\1/p' "$out")
	for i in 1 2 3; do
		# shellcheck disable=SC2086
		"$weft" replay $replay_options "$token" -- "$binary" >/dev/null 2>"$out.replay"
		rstatus=$?
		if [ "$rstatus" -ne 1 ] || ! grep -q "^weft: BUG $2:" "$out.replay"; then
			cat "$out.replay" >>"$out"
			rm -f "$out.replay"
			fail "replay $i of $token did not bring the '$2' bug back (exit $rstatus)"
		fi
	done
	rm -f "$out.replay"
	dpor=$(sed -n 's/.*weft-expect-dpor: *//p' "$source" | head -n 1)
	if [ -n "$dpor" ]; then
		set -- $dpor
		[ "$1" = bug ] || fail "weft-expect-dpor of a bug case must be 'bug KIND'"
		# shellcheck disable=SC2086
		"$weft" run --no-progress --strategy dpor $options -- "$binary" 2>"$out"
		status=$?
		[ "$status" -eq 1 ] || fail "dpor: expected a bug (exit 1), got exit $status"
		head -n 1 "$out" | grep -q "^weft: BUG $2:" || fail "dpor: expected a '$2' bug"
		token=$(sed -n 's/^  replay: weft replay .*\(weft1:[A-Za-z0-9_-]*\) -- .*/\1/p' "$out")
		replay_options=$(sed -n 's/^  replay: weft replay \(.*\)weft1:.*/\1/p' "$out")
		# shellcheck disable=SC2086
		"$weft" replay $replay_options "$token" -- "$binary" >/dev/null 2>"$out.replay"
		rstatus=$?
		if [ "$rstatus" -ne 1 ] || ! grep -q "^weft: BUG $2:" "$out.replay"; then
			cat "$out.replay" >>"$out"
			rm -f "$out.replay"
			fail "dpor: replay of $token did not bring the '$2' bug back (exit $rstatus)"
		fi
		rm -f "$out.replay"
	fi
	;;
*)
	fail "no 'weft-expect:' line in the source"
	;;
esac
echo "ok $(basename "$source"): $expect"
