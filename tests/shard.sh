#!/bin/sh
# Sharding is exact: for dfs and dpor, the four shards of a run (--shard
# k/4), merged with `weft merge`, give the unsharded run's verdict and
# distinct traces (dfs: also its executions, since its subtrees are
# disjoint); -j 2 likewise; a bug is found by the merged run; bad input to
# `weft merge` exits 2 with a one-line error; Bazel's sharding variables
# select a shard and touch TEST_SHARD_STATUS_FILE.
# usage: shard.sh WEFT CASES_DIR (build/tests/cases)
set -u
weft=$1 cases=$2
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
field() { # field NAME FILE: the first number after "NAME":
	sed -n "s/.*\"$1\": \([0-9]*\).*/\1/p" "$2" | head -n 1
}
fingerprints() { grep -o '"[0-9a-f]\{16\}"' "$1" | sort -u; }
verdict() { sed -n 's/.*"verdict": "\([a-z]*\)".*/\1/p' "$1" | head -n 1; }

# check PROGRAM STRATEGY [OPTIONS...]
check() {
	prog=$1 strategy=$2
	shift 2
	name=$(basename "$prog")-$strategy
	"$weft" run --no-progress --strategy "$strategy" --fingerprints --json "$dir/$name.json" "$@" -- "$prog" 2>/dev/null
	want_status=$?
	for k in 0 1 2 3; do
		"$weft" run --no-progress --strategy "$strategy" --shard $k/4 --json "$dir/$name.$k.json" "$@" -- "$prog" 2>/dev/null
	done
	"$weft" merge --json "$dir/$name.merged.json" "$dir/$name".?.json 2>"$dir/$name.merge.txt"
	status=$?
	[ "$status" -eq "$want_status" ] || fail "$name: merged shards exit $status, unsharded $want_status"
	[ "$(verdict "$dir/$name.merged.json")" = "$(verdict "$dir/$name.json")" ] || fail "$name: verdicts differ"
	# The traces themselves: dfs shards cover exactly the unsharded run's;
	# dpor shards at least the unsharded dpor run's and at most all (dfs's).
	fingerprints "$dir/$name.json" >"$dir/$name.want"
	fingerprints "$dir/$name.merged.json" >"$dir/$name.got"
	if [ "$strategy" = dpor ]; then
		[ -z "$(comm -23 "$dir/$name.want" "$dir/$name.got")" ] ||
			fail "$name: merged shards miss traces of the unsharded run"
		all=$dir/$(basename "$prog")-dfs.want # every trace, when dfs ran before
		[ ! -f "$all" ] || [ -z "$(comm -13 "$all" "$dir/$name.got")" ] ||
			fail "$name: merged shards have traces that dfs does not"
	else
		cmp -s "$dir/$name.want" "$dir/$name.got" ||
			fail "$name: merged shards' traces differ from the unsharded run's"
	fi
	want=$(field distinct_traces "$dir/$name.json")
	got=$(field distinct_traces "$dir/$name.merged.json")
	[ "$strategy" = dpor ] || [ "$got" = "$want" ] ||
		fail "$name: merged shards have $got distinct traces, unsharded $want"
	if [ "$strategy" = dfs ] && [ "$want_status" -eq 0 ]; then
		want=$(field executions "$dir/$name.json")
		got=$(field executions "$dir/$name.merged.json")
		[ "$got" = "$want" ] || fail "$name: merged shards ran $got executions, unsharded $want"
	fi
	"$weft" run --no-progress --strategy "$strategy" -j 2 --json "$dir/$name.j2.json" "$@" -- "$prog" 2>/dev/null
	status=$?
	[ "$status" -eq "$want_status" ] || fail "$name: -j 2 exits $status, unsharded $want_status"
	fingerprints "$dir/$name.j2.json" >"$dir/$name.j2"
	cmp -s "$dir/$name.got" "$dir/$name.j2" || [ "$strategy" != dfs ] ||
		fail "$name: -j 2 covers other traces than the unsharded run"
	[ -z "$(comm -23 "$dir/$name.want" "$dir/$name.j2")" ] ||
		fail "$name: -j 2 misses traces of the unsharded run"
}
for strategy in dfs dpor; do
	check "$cases/count_mutex_counter_2" "$strategy"
	check "$cases/t3_count_rwlock_readers" "$strategy"
	check "$cases/bug_deadlock_abba" "$strategy" --keep-going
done
check "$cases/count_mutex_counter_3" dpor
check "$cases/t3_count_rwlock_readers" bounded
check "$cases/t3_count_rwlock_readers" delay

# A bug is found by the merged shards, with the same kind.
grep -q '^weft: bug: deadlock' "$dir/bug_deadlock_abba-dpor.merge.txt" ||
	fail "merged shards of bug_deadlock_abba do not report the deadlock"

# Randomised strategies: shards split the executions by number, same seed.
for k in 0 1; do
	"$weft" run --no-progress --strategy random --seed 7 --max-executions 10 --shard $k/2 \
		--json "$dir/random.$k.json" -- "$cases/t3_count_rwlock_readers" 2>/dev/null
done
[ "$(field executions "$dir/random.0.json")" = 10 ] || fail "random shard 0/2 of 10 executions each"
"$weft" run --no-progress --strategy random --seed 7 --max-executions 20 -j 2 \
	--json "$dir/random.j2.json" -- "$cases/t3_count_rwlock_readers" 2>/dev/null
"$weft" run --no-progress --strategy random --seed 7 --max-executions 20 --fingerprints \
	--json "$dir/random.json" -- "$cases/t3_count_rwlock_readers" 2>/dev/null
[ "$(field distinct_traces "$dir/random.j2.json")" = "$(field distinct_traces "$dir/random.json")" ] ||
	fail "random -j 2 covers other traces than one process with the same seed"

# Bazel: the environment picks the shard and weft says it shards.
TEST_TOTAL_SHARDS=4 TEST_SHARD_INDEX=1 TEST_SHARD_STATUS_FILE="$dir/status" \
	"$weft" run --no-progress --json "$dir/bazel.json" -- "$cases/count_mutex_counter_2" 2>/dev/null
[ -f "$dir/status" ] || fail "TEST_SHARD_STATUS_FILE was not touched"
grep -q '"shard": \[1, 4\]' "$dir/bazel.json" || fail "TEST_SHARD_INDEX=1 of 4 did not select shard 1/4"
TEST_TOTAL_SHARDS=4 TEST_SHARD_INDEX=9 "$weft" run --no-progress -- "$cases/count_mutex_counter_2" 2>/dev/null
[ $? -eq 2 ] || fail "a shard index out of range must exit 2"

# Refusals: each one line on stderr and exit 2.
expect_refusal() { # expect_refusal WHAT COMMAND...
	what=$1
	shift
	"$@" >/dev/null 2>"$dir/err"
	status=$?
	[ "$status" -eq 2 ] || fail "$what: exit $status, expected 2"
	[ "$(wc -l <"$dir/err")" -eq 1 ] || fail "$what: expected a one-line error, got: $(cat "$dir/err")"
}
echo 'not json' >"$dir/bad.json"
echo '{"hello": 1}' >"$dir/other.json"
expect_refusal "merge of a missing file" "$weft" merge "$dir/missing.json"
expect_refusal "merge of a file that is not JSON" "$weft" merge "$dir/bad.json"
expect_refusal "merge of JSON that is not a weft report" "$weft" merge "$dir/other.json"
expect_refusal "merge of reports of different programs" "$weft" merge \
	"$dir/count_mutex_counter_2-dfs.0.json" "$dir/t3_count_rwlock_readers-dfs.1.json"
expect_refusal "merge of the same shard twice" "$weft" merge \
	"$dir/count_mutex_counter_2-dfs.0.json" "$dir/count_mutex_counter_2-dfs.0.json"
expect_refusal "merge without reports" "$weft" merge
for bad in "--shard 4/4" "--shard 1" "-j 0"; do
	# shellcheck disable=SC2086 # the option and its value
	"$weft" run $bad -- "$cases/count_mutex_counter_2" >/dev/null 2>&1
	[ $? -eq 2 ] || fail "weft run $bad must exit 2"
done
# A missing shard makes the merged run incomplete.
"$weft" merge --json "$dir/partial.json" "$dir/count_mutex_counter_2-dfs.0.json" 2>/dev/null
grep -q '"complete": false' "$dir/partial.json" || fail "a merge with shards missing must be incomplete"

[ "$failures" -eq 0 ] && echo "shard: ok"
exit "$failures"
