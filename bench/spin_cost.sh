#!/bin/sh
# The cost of a preempted spin (README, "Spin-waits on plain memory"): real
# time per hand-off when two threads pass a turn through a plain variable
# and wait for it by spinning (every hand-off is a spin preempted by
# weft's timer and signal), against the same program waiting with
# sched_yield (every hand-off an ordinary scheduling point), measured in
# the same run. One execution each; the time of an empty run (0 rounds) is
# subtracted. Rates drift between runs on shared machines: read the ratio.
# usage: bench/spin_cost.sh [BUILD_DIR] [SPIN_ROUNDS] [YIELD_ROUNDS]
set -eu
build=${1:-build}
spins=${2:-100}
yields=${3:-20000}
weft=$build/weft
prog=$build/bench/spin_cost
[ -x "$weft" ] && [ -x "$prog" ] || { echo "build first: cmake --build $build"; exit 2; }
seconds() {
	start=$(date +%s.%N)
	"$weft" run --no-progress --strategy dfs --max-executions 1 -- "$prog" "$1" "$2" 2>/dev/null ||
		{ echo "weft run $prog $1 $2 failed" >&2; exit 1; }
	end=$(date +%s.%N)
	echo "$end - $start" | bc -l
}
empty=$(seconds spin 0)
spin=$(seconds spin "$spins")
yield=$(seconds yield "$yields")
awk -v e="$empty" -v s="$spin" -v y="$yield" -v ns="$spins" -v ny="$yields" 'BEGIN {
	per_spin = (s - e) / (2 * ns) * 1e6
	per_yield = (y - e) / (2 * ny) * 1e6
	printf "empty run:                      %8.3f s\n", e
	printf "preempted spin hand-off:        %10.1f us  (%d rounds, %.3f s)\n", per_spin, ns, s
	printf "sched_yield hand-off:           %10.1f us  (%d rounds, %.3f s)\n", per_yield, ny, y
	printf "ratio spin / scheduling point:  %10.0fx\n", per_spin / per_yield
}'
