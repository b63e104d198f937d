#!/bin/sh
# The explorer's memory must grow with the depth of an execution, not with
# the number of executions: run DFS on the 3-thread reference program
# (143,541 executions in all) for growing budgets and print the maximum
# resident size of the weft process from /usr/bin/time -v.
# usage: bench/memory.sh [BUILD_DIR] [BUDGETS...]   (default 1000 10000 100000)
set -eu
build=${1:-build}
shift || true
budgets=${*:-1000 10000 100000}
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (Debian package: time)"; exit 2; }
printf "%12s %14s %10s\n" "executions" "max RSS (KiB)" "seconds"
for n in $budgets; do
	/usr/bin/time -v "$build/weft" run --no-progress --strategy dfs --max-executions "$n" \
		-- "$build/bench/mutex_counter_3" 2>"$build/memory.log" >/dev/null || true
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$build/memory.log")
	secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$build/memory.log")
	printf "%12s %14s %10s\n" "$n" "$rss" "$secs"
done
