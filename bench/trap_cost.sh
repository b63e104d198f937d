#!/bin/sh
# The cost of a trapped atomic instruction (bench/trap_cost.c) against the
# same instruction untrapped and against an ordinary scheduling point,
# three runs side by side: without weft, under weft with trapping off
# (WEFT_TRAP_ATOMICS=0), under weft with trapping on. Rates drift between
# runs on shared machines; read the ratios within a run.
# usage: bench/trap_cost.sh [BUILD_DIR] [OPERATIONS]
set -eu
build=${1:-build}
n=${2:-20000}
weft=$build/weft
prog=$build/bench/trap_cost
[ -x "$weft" ] && [ -x "$prog" ] || { echo "build first: cmake --build $build"; exit 2; }
steps=$((n * 4 + 10000))
echo "== without weft"
"$prog" "$n"
echo "== weft run, trapping off (the instruction runs natively)"
WEFT_TRAP_ATOMICS=0 "$weft" run --no-progress --show-output --strategy dfs --max-steps "$steps" \
	-- "$prog" "$n" 2>/dev/null
echo "== weft run, trapping on"
"$weft" run --no-progress --show-output --strategy dfs --max-steps "$steps" \
	-- "$prog" "$n" 2>/dev/null
