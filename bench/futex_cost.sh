#!/bin/sh
# The cost of a modelled raw futex (syscall(SYS_futex)) against a modelled
# mutex lock/unlock, and of a blocking hand-off between two threads
# through a futex against one through a mutex and condition variable,
# measured side by side by bench/futex_cost.c: once without weft (the
# kernel and glibc), once under weft, one execution, where each of those
# calls is a scheduling point.
# Rates drift between runs on shared machines; read the ratios.
# usage: bench/futex_cost.sh [BUILD_DIR] [ITERATIONS]
set -eu
build=${1:-build}
n=${2:-20000}
weft=$build/weft
prog=$build/bench/futex_cost
[ -x "$weft" ] && [ -x "$prog" ] || { echo "build first: cmake --build $build"; exit 2; }
echo "without weft:"
"$prog" "$n"
# Steps: 2 per lock/unlock and per wake/wait, up to 8 per round of each
# ping-pong, and some more.
echo "under weft (one execution):"
"$weft" run --no-progress --show-output --max-executions 1 --max-steps $((n * 24 + 10000)) \
	-- "$prog" "$n" 2>&1 | grep -v '^weft: '
