#!/bin/sh
# weft's executions per second on the reference a_mutex_counter.c with N = 7
# (optimal DPOR: exactly 7! = 5040 executions), with the fork server and
# with one exec per execution, against baselines measured in the same run:
# a bare fork-and-wait loop (the child exits at once), the same loop
# running the program's main in each child without weft (its seven thread
# creations included: the floor for any fork-based explorer), and a bare
# spawn-and-wait loop of the program without weft. Both fork loops run on
# one CPU, as weft does. Rates drift between runs on shared machines; read
# the ratios. usage: bench/forkserver.sh [BUILD_DIR]
set -eu
build=${1:-build}
weft=$build/weft
prog=$build/bench/mutex_counter_7
[ -x "$weft" ] && [ -x "$prog" ] || { echo "build first: cmake --build $build"; exit 2; }

report=$(mktemp)
trap 'rm -f "$report"' EXIT
# rate OPTIONS...: executions per second of weft run on the program
rate() {
	"$weft" run --no-progress --strategy dpor --json "$report" "$@" -- "$prog" 2>/dev/null || true
	executions=$(sed -n 's/.*"executions": \([0-9]*\),.*/\1/p' "$report" | head -n 1)
	elapsed=$(sed -n 's/.*"elapsed_seconds": \([0-9.]*\).*/\1/p' "$report" | head -n 1)
	awk -v n="$executions" -v t="$elapsed" 'BEGIN { printf "%.0f", n / t }'
}
fork_server=$(rate)
fork_executions=$(sed -n 's/.*"executions": \([0-9]*\),.*/\1/p' "$report" | head -n 1)
exec_each=$(rate --no-fork-server)
fork_rate=$("$build/bench/baseline" fork 5000)
main_rate=$(BENCH_FORKS=5000 LD_PRELOAD="$(cd "$build/bench" && pwd)/libforkmain.so" "$prog" 2>&1 >/dev/null)
spawn_rate=$("$build/bench/baseline" spawn 2000 "$prog")

echo "program: a_mutex_counter.c, N=7, DPOR, $fork_executions executions (7! = 5040)"
printf "%-40s %8s/s\n" "bare fork + wait" "$fork_rate"
printf "%-40s %8s/s\n" "bare fork + main of the program (no weft)" "$main_rate"
printf "%-40s %8s/s\n" "bare posix_spawn + wait (no weft)" "$spawn_rate"
printf "%-40s %8s/s\n" "weft run, fork server" "$fork_server"
printf "%-40s %8s/s\n" "weft run --no-fork-server (exec each)" "$exec_each"
awk -v w="$fork_server" -v e="$exec_each" -v f="$fork_rate" -v s="$spawn_rate" -v m="$main_rate" 'BEGIN {
	printf "ratio fork server / bare fork:   %.2f\n", w / f
	printf "ratio fork server / fork + main: %.2f\n", w / m
	printf "ratio fork + main / bare fork:   %.2f (the program itself)\n", m / f
	printf "ratio exec each / bare spawn:    %.2f\n", e / s
	printf "ratio fork server / exec each:   %.2f\n", w / e
}'

