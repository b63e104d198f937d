#!/bin/sh
# The cost of call stacks: the same exploration of deep_stack (73 steps an
# execution, each four calls deep) with every execution walking its stacks
# (WEFT_STACKS=all) and without (the default: only reported executions
# walk them). Prints the best of ROUNDS runs of each, interleaved so that a
# change in the machine's load hits both, and the cost per step.
# usage: bench/stacks.sh [BUILD_DIR] [EXECUTIONS] [ROUNDS]
set -u
build=${1:-build}
executions=${2:-3000}
rounds=${3:-3}
steps=73 # 4T + 2KT + 1 with T = 3, K = 10 (programs/deep_stack.c)
weft=$build/weft
prog=$build/bench/deep_stack
seconds() { # the elapsed time weft reports
	sed -n 's/.* in \([0-9.]*\) s;.*/\1/p' | head -n 1
}
best_off="" best_on=""
for r in $(seq "$rounds"); do
	off=$("$weft" run --no-progress --strategy dfs --max-executions "$executions" -- "$prog" 2>&1 | seconds)
	on=$(WEFT_STACKS=all "$weft" run --no-progress --strategy dfs --max-executions "$executions" -- "$prog" 2>&1 | seconds)
	best_off=$(awk -v a="$off" -v b="${best_off:-$off}" 'BEGIN { print (a < b ? a : b) }')
	best_on=$(awk -v a="$on" -v b="${best_on:-$on}" 'BEGIN { print (a < b ? a : b) }')
done
awk -v off="$best_off" -v on="$best_on" -v n="$executions" -v k="$steps" 'BEGIN {
	printf "%d executions of %d steps, best of the rounds:\n", n, k
	printf "  without stacks  %.3f s  (%.1f us an execution)\n", off, off / n * 1e6
	printf "  with stacks     %.3f s  (%.1f us an execution)\n", on, on / n * 1e6
	printf "  ratio %.2f; a stack costs %.2f us a step\n", on / off, (on - off) / (n * k) * 1e6
}'
