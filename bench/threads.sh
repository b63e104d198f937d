#!/bin/sh
# The execution layer's two modes on the reference a_mutex_counter.c with
# N = 8 (optimal DPOR: exactly 8! = 40320 executions), against a bare
# fork-and-wait loop on one CPU measured in the same run: weft with the
# program's threads as kernel threads (--threads=kernel, a futex hand-off
# per switch) and as fibers on one kernel thread (--threads=fiber). Both
# use the fork server: one fork per execution. Rates drift between runs on
# shared machines; read the ratios.
# usage: bench/threads.sh [BUILD_DIR]   (BENCH_N=7 for a shorter run)
set -eu
build=${1:-build}
n=${BENCH_N:-8}
weft=$build/weft
prog=$build/bench/mutex_counter_$n
[ -x "$weft" ] && [ -x "$prog" ] || { echo "build first: cmake --build $build"; exit 2; }

report=$(mktemp)
trap 'rm -f "$report"' EXIT
# rate MODE: executions per second of weft run --strategy dpor in that mode
rate() {
	"$weft" run --no-progress --strategy dpor --threads="$1" --json "$report" -- "$prog" \
		2>/dev/null || true
	grep -q "\"threads\": \"$1\"" "$report" || { echo "weft did not run in mode $1" >&2; exit 1; }
	executions=$(sed -n 's/.*"executions": \([0-9]*\),.*/\1/p' "$report" | head -n 1)
	elapsed=$(sed -n 's/.*"elapsed_seconds": \([0-9.]*\).*/\1/p' "$report" | head -n 1)
	awk -v n="$executions" -v t="$elapsed" 'BEGIN { printf "%.0f", n / t }'
}
fork_before=$("$build/bench/baseline" fork 5000)
kernel=$(rate kernel)
executions=$(sed -n 's/.*"executions": \([0-9]*\),.*/\1/p' "$report" | head -n 1)
fiber=$(rate fiber)
fork_after=$("$build/bench/baseline" fork 5000)
fork_rate=$(( (fork_before + fork_after) / 2 ))

echo "program: a_mutex_counter.c, N=$n, DPOR, $executions executions"
printf "%-40s %8s/s (%s before, %s after)\n" "bare fork + wait, one CPU" "$fork_rate" \
	"$fork_before" "$fork_after"
printf "%-40s %8s/s\n" "weft run --threads=kernel" "$kernel"
printf "%-40s %8s/s\n" "weft run --threads=fiber" "$fiber"
awk -v k="$kernel" -v f="$fiber" -v b="$fork_rate" 'BEGIN {
	printf "ratio kernel threads / bare fork: %.2f\n", k / b
	printf "ratio fibers / bare fork:         %.2f\n", f / b
	printf "ratio fibers / kernel threads:    %.2f\n", f / k
}'
