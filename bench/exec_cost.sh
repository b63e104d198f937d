#!/bin/sh
# What one execution costs the runtime itself, apart from the program: the
# system calls each execution's process makes (listed by name, per
# execution), those the fork server makes per execution, and the page
# faults of each execution's process (all, and those of writes: the pages
# an execution writes, which a restore in place has to copy back), for
# --threads=kernel and --threads=fiber, on the reference a_mutex_counter.c
# with N = 5 (DPOR: 5! = 120 executions), against a bare fork loop whose
# child exits at once, measured in the same run.
# Needs strace; the page faults need perf (linux-perf) allowed to read the
# exceptions:page_fault_* tracepoints (run as root, or
# kernel.perf_event_paranoid <= 1).
# usage: bench/exec_cost.sh [BUILD_DIR]   (BENCH_N=3..8 for another N)
set -eu
build=${1:-build}
n=${BENCH_N:-5}
weft=$build/weft
prog=$build/bench/mutex_counter_$n
[ -x "$weft" ] && [ -x "$prog" ] || { echo "build first: cmake --build $build"; exit 2; }
command -v strace >/dev/null || { echo "exec_cost.sh needs strace"; exit 2; }
name=$(basename "$prog")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

have_perf=no
if command -v perf >/dev/null &&
	perf record -q -o "$tmp/probe.data" -e exceptions:page_fault_user -- true \
		>/dev/null 2>&1; then
	have_perf=yes
fi

# faults COMM: page faults per process of that name except the first one
# (the fork server, or the fork loop's parent): "processes all writes".
faults() {
	perf script -i "$tmp/faults.data" -F comm,pid,trace 2>/dev/null | awk -v comm="$1" '
		$1 == comm {
			code = $NF; sub(/.*=0x/, "", code); last = substr(code, length(code))
			if (first == "" || $2 + 0 < first + 0) first = $2
			all[$2]++
			if (index("2367abef", last)) writes[$2]++
		}
		END {
			for (p in all) if (p != first) { n++; a += all[p]; w += writes[p] }
			if (n) printf "%d %.1f %.1f\n", n, a / n, w / n; else print "0 0 0"
		}'
}

# syscalls DIR EXECUTIONS: per execution, the system calls of the
# executions' processes (every file strace wrote that is neither the weft
# command's nor the fork server's, which both exec), then the server's.
syscalls() {
	exec_files=
	server_file=
	for f in "$1"/tr.*; do
		if grep -q "^execve(\"[^\"]*/$name\"" "$f"; then
			server_file=$f
		elif ! grep -q '^execve(' "$f"; then
			exec_files="$exec_files $f"
		fi
	done
	# shellcheck disable=SC2086
	cat $exec_files | awk -v e="$2" '
		/^[a-z_0-9]+\(/ { sub(/\(.*/, ""); count[$0]++; total++ }
		END {
			printf "  per execution, in its process: %.1f system calls:", total / e
			for (s in count) printf " %s %.2g", s, count[s] / e
			printf "\n"
		}'
	[ -n "$server_file" ] && awk -v e="$2" '
		/^[a-z_0-9]+\(/ { total++ }
		END { printf "  per execution, in the fork server: %.1f system calls\n", total / e }' \
		"$server_file"
}

echo "program: a_mutex_counter.c, N=$n, DPOR"
[ "$have_perf" = yes ] ||
	echo "(page faults skipped: perf is missing or may not read the exceptions tracepoints)"
if [ "$have_perf" = yes ]; then
	perf record -q -o "$tmp/faults.data" -e exceptions:page_fault_user \
		-e exceptions:page_fault_kernel -- "$build/bench/baseline" fork 1000 >/dev/null 2>&1
	set -- $(faults baseline)
	fork_all=$2
	fork_writes=$3
	printf "bare fork + _exit + wait: %s page faults per child, %s of writes\n" "$2" "$3"
fi
for mode in kernel fiber; do
	mkdir "$tmp/$mode"
	strace -ff -o "$tmp/$mode/tr" "$weft" run --no-progress --strategy dpor --threads=$mode \
		--json "$tmp/report.json" -- "$prog" >/dev/null 2>&1 || true
	executions=$(sed -n 's/.*"executions": \([0-9]*\),.*/\1/p' "$tmp/report.json" | head -n 1)
	echo "--threads=$mode: $executions executions"
	syscalls "$tmp/$mode" "$executions"
	rm -rf "${tmp:?}/$mode"
	if [ "$have_perf" = yes ]; then
		perf record -q -o "$tmp/faults.data" -e exceptions:page_fault_user \
			-e exceptions:page_fault_kernel -- "$weft" run --no-progress --strategy dpor \
			--threads=$mode -- "$prog" >/dev/null 2>&1 || true
		set -- $(faults "$name")
		printf "  per execution: %s page faults, %s of writes (bare fork: x%s, x%s)\n" "$2" \
			"$3" "$(awk -v a="$2" -v b="$fork_all" 'BEGIN { printf "%.1f", a / b }')" \
			"$(awk -v a="$3" -v b="$fork_writes" 'BEGIN { printf "%.1f", a / b }')"
	fi
done
