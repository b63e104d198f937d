#!/bin/sh
# The cost of sharding: the redundancy ratio (executions of all shards,
# skipped discoveries included, over the unsharded run's executions) for
# --shard k/4, and the wall-time speed-up of -j 2 over one process.
# usage: bench/shard.sh [BUILD_DIR]
set -eu
build=${1:-build}
weft=$build/weft
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
num() { sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p" "$2" | head -n 1; }
wall() { # seconds of wall time of a command
	start=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || true
	end=$(date +%s.%N)
	awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}
printf "%-28s %-6s %10s %10s %10s %8s %8s %8s\n" program strategy unsharded shards skipped ratio "-j 1 s" "-j 2 s"
for spec in "$build/examples/lock_order_fixed dfs" "$build/tests/cases/count_own_mutexes dfs" \
	"$build/tests/cases/count_mutex_counter_3 dpor" "$build/examples/lock_order_fixed dpor"; do
	set -- $spec
	prog=$1 strategy=$2
	"$weft" run --no-progress --strategy "$strategy" --json "$dir/u.json" -- "$prog" 2>/dev/null || true
	unsharded=$(num executions "$dir/u.json")
	total=0 skipped=0
	for k in 0 1 2 3; do
		"$weft" run --no-progress --strategy "$strategy" --shard $k/4 --json "$dir/$k.json" -- "$prog" 2>/dev/null || true
		total=$((total + $(num executions "$dir/$k.json")))
		skipped=$((skipped + $(num skipped_executions "$dir/$k.json")))
	done
	one=$(wall "$weft" run --no-progress --strategy "$strategy" -- "$prog")
	two=$(wall "$weft" run --no-progress --strategy "$strategy" -j 2 -- "$prog")
	ratio=$(awk -v t="$total" -v s="$skipped" -v u="$unsharded" 'BEGIN { printf "%.2f", (t + s) / u }')
	printf "%-28s %-6s %10s %10s %10s %8s %8s %8s\n" "$(basename "$prog")" "$strategy" "$unsharded" "$total" "$skipped" "$ratio" "$one" "$two"
done
echo "ratio = (executions + skipped of the 4 shards) / unsharded executions; -j columns: wall seconds"
