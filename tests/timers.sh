#!/bin/sh
# Timers on the virtual clock (interpose/timers.c). Expectations are
# verdicts, exit statuses and exact execution counts, never timings.
# usage: timers.sh WEFT DIR_OF_TIMER_PROGRAMS DIR_OF_CASES
set -u
weft=$1 bin=$2 cases=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0 checks=0

fail() {
	failures=$((failures + 1))
	echo "FAIL $*"
	[ -s "$dir/err" ] && { echo "--- weft said:"; tail -n 20 "$dir/err"; }
}

pass() {
	echo "ok $*"
}

summary() {
	grep -E '^weft: (BUG|OK|explored)' "$dir/err" | sed -e 's/ in [0-9.]* s;/;/' -e 's/ in [0-9.]* s$//'
}

# A handler that takes a lock, run when an alarm fires: one verdict over 20
# runs of the default strategy, and its token replays it 20 times of 20;
# the same with fibers (5 runs, 5 replays).
prog=$cases/bug_alarm_handler_lock
for threads in kernel fiber; do
	runs=$([ $threads = kernel ] && echo 20 || echo 5)
	checks=$((checks + 1))
	verdicts=""
	for run in $(seq "$runs"); do
		"$weft" run --no-progress --threads=$threads -- "$prog" >"$dir/out" 2>"$dir/err"
		verdicts="$verdicts$(summary | head -n 1)
"
	done
	distinct=$(printf '%s' "$verdicts" | sort -u | grep -c .)
	if [ "$distinct" -ne 1 ] || ! printf '%s' "$verdicts" | grep -q '^weft: BUG misuse'; then
		fail "alarm handler that locks ($threads): $distinct different verdicts over $runs runs"
		printf '%s' "$verdicts" | sort | uniq -c
	else
		pass "alarm handler that locks ($threads): one verdict over $runs runs (BUG misuse)"
	fi
	checks=$((checks + 1))
	token=$(sed -n 's/^  replay: weft replay .*\(weft1:[A-Za-z0-9_-]*\) -- .*/\1/p' "$dir/err")
	options=$(sed -n 's/^  replay: weft replay \(.*\)weft1:.*/\1/p' "$dir/err")
	replayed=0
	for run in $(seq "$runs"); do
		# shellcheck disable=SC2086
		"$weft" replay $options "$token" -- "$prog" >"$dir/out" 2>"$dir/err"
		[ $? -eq 1 ] && grep -q '^weft: BUG misuse' "$dir/err" && replayed=$((replayed + 1))
	done
	if [ $replayed -eq "$runs" ]; then
		pass "alarm handler that locks ($threads): the token replays $runs of $runs"
	else
		fail "alarm handler that locks ($threads): the token replays $replayed of $runs"
	fi
done

# Which waiting thread takes the signal is explored: exactly 2 executions,
# one where main runs the handler and one where the worker does (kernel
# threads: a new fiber starts with the mask of the fiber that switched to
# it, which blocks the signal, until the fiber layer gives it its
# creator's).
checks=$((checks + 1))
"$weft" run --no-progress --strategy dfs --threads=kernel --show-output -- "$bin/two_takers" \
	>"$dir/out" 2>"$dir/err"
status=$?
if [ $status -ne 0 ] || ! grep -q '^weft: OK: no bug in 2 executions' "$dir/err"; then
	fail "two threads that may take the alarm: expected OK in 2 executions, got exit $status"
elif ! grep -q '^taken by 0$' "$dir/out" "$dir/err" || ! grep -q '^taken by 1$' "$dir/out" "$dir/err"; then
	fail "two threads that may take the alarm: not both of them took it"
else
	pass "which thread takes the alarm is explored (2 executions, both threads)"
fi

# A loop that spins until an alarm's handler sets its flag ends (kernel
# threads: preempting a spin-wait needs one): not a livelock.
checks=$((checks + 1))
timeout 120 "$weft" run --no-progress --threads=kernel -- "$bin/spin_until_alarm" >"$dir/out" 2>"$dir/err"
status=$?
if [ $status -eq 0 ] && grep -q '^weft: OK: no bug in 1 execution' "$dir/err"; then
	pass "a spin that an alarm's handler ends is not a livelock"
else
	fail "spin until an alarm: expected OK in 1 execution, got exit $status"
fi

# A timer that starts a thread at its expiry is weft's limit: exit 2 naming
# it, never a hang or a verdict.
checks=$((checks + 1))
timeout 120 "$weft" run --no-progress -- "$bin/sigev_thread" >"$dir/out" 2>"$dir/err"
status=$?
if [ $status -eq 2 ] && grep -q 'timer_create with SIGEV_THREAD' "$dir/err"; then
	pass "timer_create with SIGEV_THREAD: exit 2 naming it"
else
	fail "timer_create with SIGEV_THREAD: expected exit 2 naming it, got exit $status"
fi

echo "$((checks - failures)) of $checks checks passed"
[ "$failures" -eq 0 ]
