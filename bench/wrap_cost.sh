#!/bin/sh
# The cost of a call wrapped with --yield-at against a direct call, measured
# by bench/wrap_cost.c once without weft and once under weft with wc_target
# (role call), wc_lock (lock(1)) and wc_unlock (unlock(1)) wrapped. Under
# weft each wrapped call is also a scheduling point with its event recorded;
# pthread_mutex_lock/unlock, which weft models natively, is the yardstick.
# Rates drift between runs on shared machines; read the ratios.
# usage: bench/wrap_cost.sh [BUILD_DIR] [CALLS]
set -eu
build=${1:-build}
calls=${2:-100000}
weft=$build/weft
prog=$build/bench/wrap_cost
[ -x "$weft" ] && [ -x "$prog" ] || { echo "build first: cmake --build $build"; exit 2; }
"$prog" "$calls"
# Each wrapped call, lock and unlock is one step of the single execution.
"$weft" run --no-progress --show-output --max-steps $((calls * 6 + 10000)) \
	--yield-at 'wc_target(int*,long)->int' \
	--yield-at 'wc_lock(int*)->void=lock(1)' \
	--yield-at 'wc_unlock(int*)->void=unlock(1)' -- "$prog" "$calls"
