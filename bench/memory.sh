#!/bin/sh
# Memory must not grow with the number of executions: run DFS on the
# 4-thread reference counter (bench/mutex_counter_4: a space of far more
# than a million executions, 24 distinct traces) for a million executions,
# with kernel threads and with fibers, and print the resident size (VmRSS)
# of the explorer and of the program at the start (the first sample, a
# second in) and at the end (the last sample before the explorer exits),
# with their peaks (VmHWM). The program is the largest of the explorer's
# descendants at each sample: the fork server, and the execution running
# then. "flat" means the end is within 10% (and at least 1 MiB) of the
# start, for both.
# usage: bench/memory.sh [BUILD_DIR]
#   BENCH_SHORT=1               100,000 executions instead of a million
#   BENCH_MEMORY_EXECUTIONS=N   N executions
#   BENCH_MEMORY_MODES="..."    the --threads modes (default: kernel fiber)
# A million executions take about 16 minutes with fibers and 20 with kernel
# threads on a 2-core VM.
set -eu
build=${1:-build}
executions=${BENCH_MEMORY_EXECUTIONS:-1000000}
[ "${BENCH_SHORT:-0}" = 1 ] && [ -z "${BENCH_MEMORY_EXECUTIONS:-}" ] && executions=100000
prog=$build/bench/mutex_counter_4
[ -x "$build/weft" ] && [ -x "$prog" ] || { echo "build first: cmake --build $build"; exit 2; }

# kib PID FIELD: a size from /proc/PID/status, empty when PID is gone.
kib() {
	sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status" 2>/dev/null || true
}

# program_kib PID: the largest resident size among PID's descendants.
program_kib() {
	ps -e -o pid=,ppid=,rss= | awk -v root="$1" '
		{ parent[$1] = $2; rss[$1] = $3 }
		END {
			max = 0
			for (p in parent) {
				for (q = parent[p]; q > 1 && q != root; q = parent[q])
					if (!(q in parent))
						break
				if (q == root && rss[p] > max)
					max = rss[p]
			}
			print max
		}'
}

printf "%-7s %10s %8s   %-28s   %-22s %s\n" "" "" "" "explorer RSS KiB" "program RSS KiB" ""
printf "%-7s %10s %8s   %8s %8s %8s   %8s %8s %8s %5s\n" mode executions seconds start end peak start \
	end peak flat
for mode in ${BENCH_MEMORY_MODES:-kernel fiber}; do
	begin=$(date +%s)
	"$build/weft" run --no-progress --strategy dfs --threads="$mode" \
		--max-executions "$executions" -- "$prog" >/dev/null 2>&1 &
	pid=$!
	first_explorer= first_program= explorer= program= explorer_peak= program_peak=0
	sleep 1
	while kill -0 "$pid" 2>/dev/null; do
		e=$(kib "$pid" VmRSS)
		h=$(kib "$pid" VmHWM)
		p=$(program_kib "$pid")
		if [ -n "$e" ] && [ "$p" -gt 0 ]; then
			[ -n "$first_explorer" ] || { first_explorer=$e; first_program=$p; }
			explorer=$e program=$p explorer_peak=$h
			[ "$p" -gt "$program_peak" ] && program_peak=$p
		fi
		sleep 1
	done
	wait "$pid" || true
	seconds=$(($(date +%s) - begin))
	awk -v m="$mode" -v n="$executions" -v s="$seconds" -v es="$first_explorer" -v ee="$explorer" \
	    -v eh="$explorer_peak" -v ps="$first_program" -v pe="$program" -v ph="$program_peak" 'BEGIN {
		slack_e = es / 10 > 1024 ? es / 10 : 1024
		slack_p = ps / 10 > 1024 ? ps / 10 : 1024
		flat = ee <= es + slack_e && pe <= ps + slack_p ? "yes" : "no"
		printf "%-7s %10s %8s   %8s %8s %8s   %8s %8s %8s %5s\n", m, n, s, es, ee, eh, ps, pe, ph, flat
	}'
done
