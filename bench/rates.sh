#!/bin/sh
# How often each strategy reaches a bug that exactly one of the 252
# schedules of bench/programs/one_in_252.c shows, in three variants whose
# failing log needs one, two or eight preemptions (PCT depth 2, 3 and 9).
#
# pct, pos and random run once per seed 1..SEEDS (default 50) with a
# budget of 1000 executions: pct at its default depth 3, and at depth 2
# where one change point can reach the bug (a depth-d run preempts at most
# d - 1 times, so a lower depth is not tried on a deeper bug). Per strategy
# the table gives the seeds that found the bug, the mean and median
# executions to the first bug over those seeds, and the per-execution
# probability p = (seeds that found it) / (executions spent over all seeds,
# the whole budget for a seed that did not): the maximum-likelihood
# estimate when each execution finds the bug independently. Uniform
# sampling of the 252 traces would give 1/252 = 0.00397 ("x 1/252" is
# p * 252); PCT's column is the bound weft prints, 1/(n*k^(d-1)), on the
# rows whose depth d covers the bug's. dfs, dpor and bounded are
# deterministic and run once, with a budget of 20000 executions.
# Last, one seed per randomised strategy is run again: the same seed must
# give the same executions, traces and token.
# usage: bench/rates.sh [BUILD_DIR] [SEEDS]
set -u
build=${1:-build}
seeds=${2:-50}
budget=1000
deterministic_budget=20000
weft=$build/weft
[ -x "$weft" ] && [ -x "$build/bench/one_in_252" ] || {
	echo "build first: cmake --build $build"
	exit 2
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

field() { # FIELD JSON: the first number after "FIELD": in a JSON report
	sed -n "s/.*\"$1\": \([0-9][0-9.]*\).*/\1/p" "$2" | head -n 1
}
token() { # JSON: the first bug's token, or "none"
	t=$(sed -n 's/.*"token": "\(weft1:[A-Za-z0-9_-]*\)".*/\1/p' "$1" | head -n 1)
	echo "${t:-none}"
}
# The program makes no call weft does not control, so it cannot hang; the
# hang timeout is raised only so that a machine busy with other work does
# not stop a child for long enough to look like one.
run() { # JSON BUDGET PROGRAM OPTIONS...: weft run, its report in JSON
	json=$1 max=$2 prog=$3
	shift 3
	rm -f "$json"
	"$weft" run --no-progress --no-shrink --hang-timeout 60 --max-executions "$max" \
		--json "$json" "$@" -- "$prog" >/dev/null 2>&1
}
outcome() { # JSON: "found" (the assertion), "none" (no bug), or what else ended the run
	if grep -q '"kind": "assertion"' "$1" 2>/dev/null; then
		echo found
	elif grep -q '"verdict": "ok"' "$1" 2>/dev/null; then
		echo none
	elif grep -q '"verdict": "bug"' "$1" 2>/dev/null; then
		sed -n 's/.*"kind": "\([a-z-]*\)", "message": "\([^"]*\)".*/\1: \2/p' "$1" |
			head -n 1
	elif [ -s "$1" ]; then
		echo "error: $(sed -n 's/^ "stop_reason": "\([^"]*\)".*/\1/p' "$1")"
	else
		echo "no report"
	fi
}
note() { # MESSAGE: a run that ended otherwise than expected, said under the table
	echo "  note: $*" >>"$work/notes"
}

# sample PROGRAM LABEL BOUND OPTIONS...: one table row for a randomised
# strategy; BOUND is "yes" to print PCT's bound
sample() {
	prog=$1 label=$2 bound=$3
	shift 3
	: >"$work/found"
	spent=0 longest=0 guarantee=-
	seed=1
	while [ "$seed" -le "$seeds" ]; do
		run "$work/r.json" "$budget" "$prog" --seed "$seed" "$@"
		n=$(field executions "$work/r.json")
		case $(outcome "$work/r.json") in
		found) echo "$n" >>"$work/found" ;;
		none) ;;
		*) note "$label, seed $seed (counted as not found): $(outcome "$work/r.json")" ;;
		esac
		spent=$((spent + ${n:-0}))
		# PCT's bound grows with the longest execution seen: take it from
		# the run that saw the most executions.
		if [ "${n:-0}" -gt "$longest" ]; then
			longest=$n
			g=$(sed -n 's/.*"coverage": "PCT.* = \([0-9.e+-]*\) (n = .*/\1/p' "$work/r.json")
			[ "$bound" = yes ] && guarantee=${g:--}
		fi
		seed=$((seed + 1))
	done
	sort -n "$work/found" | awk -v label="$label" -v seeds="$seeds" -v spent="$spent" \
		-v g="$guarantee" '
		{ x[NR] = $1; sum += $1 }
		END {
			found = NR
			if (found) {
				mean = sprintf("%.1f", sum / found)
				median = found % 2 ? x[(found + 1) / 2] : (x[found / 2] + x[found / 2 + 1]) / 2
				p = found / spent
			} else {
				mean = median = "-"
				p = 0
			}
			printf "  %-20s %9s %9s %8s %11.5f %8.2f %10s\n", label, found "/" seeds,
				mean, median, p, p * 252, g
		}'
}

# deterministic PROGRAM STRATEGY: executions to the first bug, or "-"
deterministic() {
	run "$work/d.json" "$deterministic_budget" "$1" --strategy "$2"
	case $(outcome "$work/d.json") in
	found) field executions "$work/d.json" ;;
	none) echo "-" ;;
	*)
		echo "?"
		note "$2: $(outcome "$work/d.json")"
		;;
	esac
}

summary() { # JSON: what a run must repeat: executions, distinct traces, token
	echo "$(field executions "$1") $(field distinct_traces "$1") $(token "$1")"
}

# reproduced PROGRAM OPTIONS...: "yes" if two runs with seed 1 agree
reproduced() {
	prog=$1
	shift
	run "$work/a.json" "$budget" "$prog" --seed 1 "$@"
	run "$work/b.json" "$budget" "$prog" --seed 1 "$@"
	a=$(summary "$work/a.json")
	b=$(summary "$work/b.json")
	if [ "$a" = "$b" ]; then
		echo "yes ($(echo "$a" | cut -d' ' -f1) executions, token $(echo "$a" | cut -d' ' -f3))"
	else
		echo "no: '$a' then '$b'"
	fi
}

echo "seeds 1..$seeds, budget $budget executions per seed;" \
	"uniform over the 252 traces: p = 1/252 = 0.00397"
for variant in "one_in_252 AAABBBBBAA 1" "one_in_252_depth3 AABBBAAABB 2" \
	"one_in_252_alternating ABABABABAB 8"; do
	# shellcheck disable=SC2086
	set -- $variant
	prog=$build/bench/$1
	echo
	echo "$1: fails on $2 only ($3 preemption$([ "$3" -eq 1 ] || echo s), PCT depth $(($3 + 1)))"
	depth=$(($3 + 1))
	printf "  %-20s %9s %9s %8s %11s %8s %10s\n" strategy found mean median "p/execution" \
		"x 1/252" "PCT bound"
	[ "$depth" -le 2 ] && sample "$prog" "pct --pct-depth 2" yes --strategy pct --pct-depth 2
	sample "$prog" "pct --pct-depth 3" "$([ "$depth" -le 3 ] && echo yes)" \
		--strategy pct --pct-depth 3
	sample "$prog" "pos" no --strategy pos
	sample "$prog" "random" no --strategy random
	printf "  executions to the first bug:"
	for strategy in dfs dpor bounded; do
		printf "  %s %s" "$strategy" "$(deterministic "$prog" "$strategy")"
	done
	echo
	if [ -s "$work/notes" ]; then
		cat "$work/notes"
		: >"$work/notes"
	fi
done
echo
echo "the same seed again (seed 1, one_in_252):"
for strategy in pct pos random; do
	printf "  %-8s reproduced: %s\n" "$strategy" \
		"$(reproduced "$build/bench/one_in_252" --strategy "$strategy")"
done
echo "(-: not found within the budget, $deterministic_budget executions for dfs, dpor and bounded;"
echo " PCT bound -: the bug is deeper than the run's --pct-depth, which bounds nothing then)"
