#!/bin/sh
# PCT and spin loops: two spinners and the worker they wait for, under PCT
# with five seeds; no execution may run out of --max-steps (a livelock).
# usage: pct.sh WEFT SPINNERS_PROGRAM
set -u
weft=$1 prog=$2
failures=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for seed in 1 2 3 4 5; do
	"$weft" run --no-progress --strategy pct --seed "$seed" --max-executions 30 \
		--max-steps 2000 -- "$prog" 2>"$out"
	status=$?
	if [ "$status" -ne 0 ]; then
		echo "FAIL: pct --seed $seed: expected no bug in 30 executions (exit $status)"
		head -n 2 "$out"
		failures=$((failures + 1))
	fi
done
[ "$failures" -eq 0 ] && echo "pct: ok"
exit "$failures"
