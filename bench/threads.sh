#!/bin/sh
# The execution layer's two modes on the reference a_mutex_counter.c with
# N = 8 (optimal DPOR: exactly 8! = 40320 executions), and on the
# instrumented builds of e_indexer.c (N = 15, 4096 executions) and
# f_lastzero.c (N = 10, 3328 executions) from tests/tsan, and on
# bench/programs/compute_prefix.c (20 ms of computation in main before two
# threads meet: fibers start each execution from a snapshot taken at the
# first branch point, kernel threads from main), against a bare
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
# rate MODE [PROGRAM [STRATEGY]]: executions per second of weft run
rate() {
	"$weft" run --no-progress --strategy "${3:-dpor}" --threads="$1" --json "$report" \
		-- "${2:-$prog}" 2>/dev/null || true
	grep -q "\"threads\": \"$1\"" "$report" || { echo "weft did not run in mode $1" >&2; exit 1; }
	executions=$(sed -n 's/.*"executions": \([0-9]*\),.*/\1/p' "$report" | head -n 1)
	elapsed=$(sed -n 's/.*"elapsed_seconds": \([0-9.]*\).*/\1/p' "$report" | head -n 1)
	awk -v n="$executions" -v t="$elapsed" 'BEGIN { printf "%.0f", n / t }'
}
fork_before=$("$build/bench/baseline" fork 5000)
kernel=$(rate kernel)
executions=$(sed -n 's/.*"executions": \([0-9]*\),.*/\1/p' "$report" | head -n 1)
fiber=$(rate fiber)
tsan=$build/tests/tsan/cases
others=
for p in t5_dpor_indexer_15 t5_dpor_lastzero_10; do
	[ -x "$tsan/$p" ] || continue
	k=$(rate kernel "$tsan/$p")
	f=$(rate fiber "$tsan/$p")
	others="$others $p $k $f"
done
compute_kernel=$(rate kernel "$build/bench/compute_prefix" dfs)
compute_fiber=$(export WEFT_SNAPSHOTS=1; rate fiber "$build/bench/compute_prefix" dfs)
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
set -- $others
while [ $# -ge 3 ]; do
	printf "%s (instrumented): kernel %s/s, fiber %s/s\n" "$1" "$2" "$3"
	awk -v k="$2" -v f="$3" -v b="$fork_rate" 'BEGIN {
		printf "  ratio kernel / bare fork %.2f, fibers / bare fork %.2f, fibers / kernel %.2f\n",
			k / b, f / b, f / k
	}'
	shift 3
done
awk -v k="$compute_kernel" -v f="$compute_fiber" 'BEGIN {
	printf "compute_prefix (20 ms in main, DFS, 151 executions): kernel %s/s, fiber %s/s\n", k, f
	printf "  ratio fibers from a snapshot / kernel threads from main: %.1f\n", f / k
}'
