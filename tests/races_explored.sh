#!/bin/sh
# Races explored to their consequences (instrumented builds): a pair of
# plain writes read half-way. Without --keep-going the race is reported
# and the search stops; with it, the accesses that raced become scheduling
# points and the search reaches the assertion: both reported, the races
# first, and the assertion's replay command (with --race-points) brings it
# back.
# usage: races_explored.sh WEFT PAIR_PROGRAM
set -u
weft=$1 prog=$2
failures=0
out=$(mktemp)
trap 'rm -f "$out" "$out.json"' EXIT
fail() {
	echo "FAIL: $*"
	cat "$out"
	failures=$((failures + 1))
}

"$weft" run --no-progress -- "$prog" 2>"$out"
[ $? -eq 1 ] && head -n 1 "$out" | grep -q '^weft: BUG data-race:' ||
	fail "without --keep-going: expected the data race"
[ "$(grep -c '^weft: BUG ' "$out")" -eq 1 ] || fail "without --keep-going: expected one bug"

"$weft" run --no-progress --keep-going --json "$out.json" -- "$prog" 2>"$out"
[ $? -eq 1 ] || fail "--keep-going: expected bugs (exit 1)"
kinds=$(sed -n 's/^weft: BUG \([a-z-]*\):.*/\1/p' "$out" | tr '\n' ' ')
case "$kinds" in
data-race*assertion*) ;;
*) fail "--keep-going: expected the races first, then the assertion; got: $kinds" ;;
esac
grep -q 'racy write .*t5_race_pair_then_assert\.c:[0-9]* (writer)' "$out" ||
	fail "--keep-going: the assertion's interleaving must show the racy writes as steps"
replay=$(grep '^  replay: ' "$out" | tail -n 1 | sed 's/^  replay: weft replay //; s/ -- .*//')
case "$replay" in
--race-points=*) ;;
*) fail "the assertion's replay command must carry --race-points: $replay" ;;
esac
# shellcheck disable=SC2086 # the options and token, split as a shell would
"$weft" replay $replay -- "$prog" >/dev/null 2>"$out"
[ $? -eq 1 ] && grep -q '^weft: BUG assertion:' "$out" ||
	fail "the replay with --race-points must bring the assertion back"

"$weft" run --no-progress --race-points=nonsense -- "$prog" >/dev/null 2>"$out"
[ $? -eq 2 ] || fail "a malformed --race-points must exit 2"

[ "$failures" -eq 0 ] && echo "races_explored: ok"
exit "$failures"
