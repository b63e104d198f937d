#!/bin/sh
# The race detector's costs, measured side by side in one run (rates drift
# between runs on shared machines: read the ratios):
#  1. per plain access: the same loop uninstrumented, instrumented and run
#     alone (libweft-tsan's empty hooks), instrumented under `weft run`
#     (weft's FastTrack checks), and under ThreadSanitizer;
#  2. an instrumented test (bench/tsan/queue.c: two producers, a consumer,
#     a mutex-protected ring of 64-byte messages) run under
#     ThreadSanitizer, against the same test under weft: the time of one
#     execution, and of weft's complete exploration (optimal DPOR).
# usage: bench/tsan.sh [BUILD_DIR]
set -eu
build=${1:-build}
weft=$build/weft
dir=$build/bench/tsan
for p in access_plain access_weft access_libtsan queue_plain queue_weft queue_libtsan; do
	[ -x "$dir/tsan_$p" ] || { echo "build first: cmake --build $build"; exit 2; }
done
[ -x "$weft" ] || { echo "build first: cmake --build $build"; exit 2; }

# ns_per_access COMMAND...: the figure the access loop prints (best of 3).
ns_per_access() {
	best=
	for i in 1 2 3; do
		v=$("$@" 2>&1 | sed -n 's/^\([0-9.]*\) ns per access.*/\1/p' | head -n 1)
		best=$(awk -v a="$best" -v b="$v" 'BEGIN { print (a == "" || b < a) ? b : a }')
	done
	echo "$best"
}
plain=$(ns_per_access "$dir/tsan_access_plain")
alone=$(ns_per_access "$dir/tsan_access_weft")
under_weft=$(ns_per_access "$weft" run --show-output --no-progress -- "$dir/tsan_access_weft")
libtsan=$(ns_per_access "$dir/tsan_access_libtsan")

echo "per plain access (a read and a write per iteration, 20 M iterations, best of 3):"
printf "  %-48s %8s ns\n" "uninstrumented" "$plain"
printf "  %-48s %8s ns\n" "instrumented, libweft-tsan alone (no weft)" "$alone"
printf "  %-48s %8s ns\n" "instrumented, under weft run (race detector)" "$under_weft"
printf "  %-48s %8s ns\n" "ThreadSanitizer (-fsanitize=thread)" "$libtsan"
awk -v w="$under_weft" -v t="$libtsan" -v p="$plain" -v a="$alone" 'BEGIN {
	printf "  the weft detector over uninstrumented: +%.2f ns per access; libweft-tsan alone: +%.2f ns\n", w - p, a - p
	printf "  ratio weft / ThreadSanitizer per access: %.2f\n", w / t
}'

# seconds COUNT COMMAND...: wall time of COUNT runs of the command.
seconds() {
	count=$1
	shift
	start=$(date +%s.%N)
	i=0
	while [ "$i" -lt "$count" ]; do
		"$@" >/dev/null 2>&1
		i=$((i + 1))
	done
	end=$(date +%s.%N)
	awk -v s="$start" -v e="$end" 'BEGIN { printf "%.6f", e - s }'
}
messages=2
runs=50
tsan_run=$(seconds "$runs" "$dir/tsan_queue_libtsan" "$messages")
plain_run=$(seconds "$runs" "$dir/tsan_queue_plain" "$messages")
report=$(mktemp)
trap 'rm -f "$report"' EXIT
"$weft" run --no-progress --strategy dpor --json "$report" -- "$dir/tsan_queue_weft" "$messages" \
	>/dev/null 2>&1 || true
executions=$(sed -n 's/.*"executions": \([0-9]*\).*/\1/p' "$report" | head -n 1)
elapsed=$(sed -n 's/.*"elapsed_seconds": \([0-9.]*\).*/\1/p' "$report" | head -n 1)
complete=$(sed -n 's/.*"complete": \([a-z]*\).*/\1/p' "$report" | head -n 1)

echo
echo "instrumented test: bench/tsan/queue.c, 2 producers x $messages messages, 1 consumer"
awk -v t="$tsan_run" -v p="$plain_run" -v n="$runs" -v e="$executions" -v s="$elapsed" \
    -v c="$complete" 'BEGIN {
	printf "  %-48s %8.2f ms\n", "one run, uninstrumented (mean of " n ")", 1000 * p / n
	printf "  %-48s %8.2f ms\n", "one run under ThreadSanitizer (mean of " n ")", 1000 * t / n
	printf "  %-48s %8.2f ms\n", "one execution under weft (mean over DPOR)", 1000 * s / e
	printf "  %-48s %8.2f s  (%d executions, complete: %s)\n", "weft run --strategy dpor, every class", s, e, c
	printf "  ratio one weft execution / one ThreadSanitizer run: %.2f (TSan starts slowly)\n", (s / e) / (t / n)
	printf "  ratio the whole weft exploration / one ThreadSanitizer run: %.0f\n", s / (t / n)
}'
