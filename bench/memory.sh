#!/bin/sh
# The explorer's memory must grow with the depth of an execution, not with
# the number of executions: run DFS on the 4-thread reference program (a
# space of far more than a million executions) for growing budgets and
# print the maximum resident size from /usr/bin/time -v (the largest of the
# weft process and the processes it waited for).
# usage: bench/memory.sh [BUILD_DIR] [BUDGETS...]   (default 1000 10000 100000;
# add 1000000 for the million-execution run, about 20 minutes)
set -eu
build=${1:-build}
shift || true
budgets=${*:-1000 10000 100000}
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (Debian package: time)"; exit 2; }
printf "%12s %14s %10s\n" "executions" "max RSS (KiB)" "seconds"
for n in $budgets; do
	/usr/bin/time -v "$build/weft" run --no-progress --strategy dfs --max-executions "$n" \
		-- "$build/bench/mutex_counter_4" 2>"$build/memory.log" >/dev/null || true
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$build/memory.log")
	secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$build/memory.log")
	printf "%12s %14s %10s\n" "$n" "$rss" "$secs"
done
