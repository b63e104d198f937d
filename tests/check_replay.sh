#!/bin/sh
# Checks the replay of a weft_check failure from the command it prints: runs
# BINARY (a program of examples/unit/ whose first check finds a bug), takes
# WEFT_CHECK and WEFT_REPLAY from the first "replay:" line of its stderr and
# the bug kind from the first "weft: BUG KIND:" line, runs BINARY again with
# that environment and checks that the replay brings the same kind back (and
# explores one execution).
# usage: check_replay.sh BINARY
set -u
binary=$1
out=$(mktemp) rout=$(mktemp)
trap 'rm -f "$out" "$rout"' EXIT
fail() {
	echo "FAIL check_replay $(basename "$binary"): $*"
	echo "--- first run said:"
	cat "$out"
	echo "--- replay said:"
	cat "$rout"
	exit 1
}
"$binary" >/dev/null 2>"$out"
kind=$(sed -n 's/^weft: BUG \([a-z_-]*\):.*/\1/p' "$out" | head -n 1)
[ -n "$kind" ] || fail "the first run reported no bug"
line=$(grep -m 1 '^  replay: ' "$out")
name=$(echo "$line" | sed -n 's/.* WEFT_CHECK=\([^ ]*\) .*/\1/p')
token=$(echo "$line" | sed -n 's/.* WEFT_REPLAY=\(weft1:[A-Za-z0-9_-]*\).*/\1/p')
[ -n "$name" ] && [ -n "$token" ] || fail "no WEFT_CHECK=... WEFT_REPLAY=... in '$line'"
for i in 1 2 3; do
	WEFT_CHECK=$name WEFT_REPLAY=$token "$binary" >/dev/null 2>"$rout"
	status=$?
	[ "$status" -eq 0 ] || fail "replay $i: exit $status"
	first=$(sed -n 's/^weft: BUG \([a-z_-]*\):.*/\1/p' "$rout" | head -n 1)
	[ "$first" = "$kind" ] || fail "replay $i of $name brought '$first' back, expected '$kind'"
	grep -q '^weft: replayed 1 execution' "$rout" || fail "replay $i did not replay one execution"
done
echo "ok check_replay $(basename "$binary"): $name $kind"
