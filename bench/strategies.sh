#!/bin/sh
# For each strategy: executions to the first bug on the buggy examples, and
# DPOR's executions against the known number of traces of the reference
# a_mutex_counter.c (N! for N threads; a ratio of 1.0 is optimal).
# Randomised strategies use --seed 1..5 and print the mean.
# usage: bench/strategies.sh [BUILD_DIR]
set -u
build=${1:-build}
weft=$build/weft
first_bug() { # strategy program [seed]: executions until the first bug, or "-"
	"$weft" run --no-progress --no-shrink --strategy "$1" ${3:+--seed "$3"} \
		--max-executions 20000 -- "$2" 2>&1 |
		sed -n 's/.*found in execution \([0-9]*\).*/\1/p' | head -n 1
}
printf "%-28s" "executions to the first bug"
for s in dfs dpor bounded delay pct pos random; do printf "%9s" "$s"; done
echo
for example in update_or_append first_response lock_order lost_wakeup timeout_tie; do
	prog=$build/examples/$example
	[ -x "$prog" ] || continue
	printf "%-28s" "$example"
	for s in dfs dpor bounded delay; do
		n=$(first_bug "$s" "$prog")
		printf "%9s" "${n:--}"
	done
	for s in pct pos random; do
		total=0 found=0
		for seed in 1 2 3 4 5; do
			n=$(first_bug "$s" "$prog" "$seed")
			[ -n "$n" ] && total=$((total + n)) && found=$((found + 1))
		done
		if [ "$found" -gt 0 ]; then
			printf "%9s" "$(awk -v t=$total -v f=$found 'BEGIN { printf "%.1f", t / f }')"
		else
			printf "%9s" "-"
		fi
	done
	echo
done
echo
echo "DPOR executions against the known traces of a_mutex_counter.c (N!):"
fact=1
for n in 2 3 4 5 6 7; do
	fact=$((fact * n))
	got=$("$weft" run --no-progress --strategy dpor -- "$build/bench/mutex_counter_$n" 2>&1 |
		sed -n 's/^weft: OK: no bug in \([0-9]*\) execution.*/\1/p')
	printf "  N=%d  traces %6d  DPOR %6s  ratio %s\n" "$n" "$fact" "${got:-?}" \
		"$(awk -v g="${got:-0}" -v f=$fact 'BEGIN { printf "%.2f", g / f }')"
done
