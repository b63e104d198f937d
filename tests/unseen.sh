#!/bin/sh
# weft never claims more than it saw: a program not built with
# -fsanitize=thread whose threads may talk through plain memory gets
# "complete for the operations weft sees", a "not seen" line naming the
# program and the way out, and "complete": false, "seen_complete": true,
# "coverage": "synchronisation-calls" in the JSON; a single-threaded program
# and an instrumented one keep the plain "complete" and "coverage": "all".
# usage: unseen.sh WEFT PLAIN_FLAG_PROGRAM SINGLE_THREAD_PROGRAM INSTRUMENTED_OK_PROGRAM
set -u
weft=$1 plain=$2 single=$3 instrumented=$4
failures=0
out=$(mktemp)
trap 'rm -f "$out" "$out.json"' EXIT
fail() {
	echo "FAIL: $*"
	cat "$out"
	failures=$((failures + 1))
}

# DPOR explores one execution of the plain flag program and misses its bug.
"$weft" run --no-progress --strategy dpor --json "$out.json" -- "$plain" 2>"$out"
[ $? -eq 0 ] || fail "dpor on the plain flag: expected no bug (it cannot see the flag)"
grep -q '^weft: OK: no bug in 1 execution in .*; complete for the operations weft sees (' "$out" ||
	fail "dpor on the plain flag: expected the qualified 'complete for the operations weft sees'"
grep -q '; complete (' "$out" && fail "dpor on the plain flag: claimed an unqualified complete"
grep -q "^weft: not seen: $plain is not built with -fsanitize=thread.*weft_instrument()" "$out" ||
	fail "dpor on the plain flag: the 'not seen' line must name the program and the way out"
grep -q '"complete": false' "$out.json" || fail "plain flag JSON: \"complete\" must be false"
grep -q '"seen_complete": true' "$out.json" || fail "plain flag JSON: \"seen_complete\" must be true"
grep -q '"coverage": "synchronisation-calls"' "$out.json" ||
	fail "plain flag JSON: \"coverage\" must be \"synchronisation-calls\""
grep -q "\"unseen\": {\"memory\": \"$plain\"" "$out.json" ||
	fail "plain flag JSON: \"unseen\" must name the program"

# The default strategy goes on with PCT over the whole program and finds it.
"$weft" run --no-progress --seed 1 -- "$plain" 2>"$out"
[ $? -eq 1 ] && head -n 1 "$out" | grep -q '^weft: BUG assertion:' ||
	fail "default on the plain flag: expected the assertion"
grep -q 'DPOR finished the operations weft sees in 1 execution; then [0-9]* executions sampled the whole program with PCT' "$out" ||
	fail "default on the plain flag: the coverage line must say DPOR finished, then PCT"

# One thread: nothing to hide.
"$weft" run --no-progress --json "$out.json" -- "$single" 2>"$out"
grep -q '^weft: OK: no bug in 1 execution in .*; complete (every interleaving was explored)' "$out" ||
	fail "single thread: expected an unqualified complete"
grep -q 'not seen' "$out" && fail "single thread: nothing is unseen"
grep -q '"complete": true' "$out.json" && grep -q '"coverage": "all"' "$out.json" ||
	fail "single thread JSON: expected \"complete\": true and \"coverage\": \"all\""

# Instrumented: weft sees every access.
"$weft" run --no-progress --json "$out.json" -- "$instrumented" 2>"$out"
grep -q '; complete (every interleaving was explored)' "$out" ||
	fail "instrumented: expected an unqualified complete"
grep -q '"complete": true' "$out.json" && grep -q '"coverage": "all"' "$out.json" ||
	fail "instrumented JSON: expected \"complete\": true and \"coverage\": \"all\""

[ "$failures" -eq 0 ] && echo "unseen: ok"
exit "$failures"
