#!/bin/sh
# A race report names the step after which the earlier access happened,
# also when its thread has released more than the detector's first
# per-thread record of release steps holds (race_clock.c grows it):
# tests/tsan/cases/t5_race_after_many_releases.c, whose T1 writes after
# its hundredth unlock (step 201 in the first execution).
# usage: race_epoch_step.sh WEFT PROGRAM
set -u
weft=$1
prog=$2
out=$("$weft" run --no-progress --strategy dfs -- "$prog" 2>&1)
status=$?
fail() {
	echo "FAIL: $1"
	echo "$out" | head -n 20
	exit 1
}
[ "$status" -eq 1 ] || fail "expected exit 1 (a bug), got $status"
echo "$out" | grep -q "previous write by T1 (after step 201)" ||
	fail "the report does not name step 201 for T1's write"
echo "$out" | grep -q "^ *201  T1   pthread_mutex_unlock" ||
	fail "step 201 is not T1's last unlock"
echo "ok: T1's write is placed after step 201, its hundredth unlock"
