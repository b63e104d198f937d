#!/bin/sh
# The fork server and one process per execution must agree: the same
# verdict, the same number of executions and the same distinct traces on
# every program given, under dfs (the default's PCT samples after DPOR stop
# after at most 2 s, a count that depends on speed). usage: fork_server.sh
# WEFT PROGRAM...
set -u
weft=$1
shift
failures=0
for prog in "$@"; do
	a=$("$weft" run --no-progress --strategy dfs -- "$prog" 2>&1 | grep -E '^weft: (OK|BUG|explored|[0-9]+ distinct)' | sed 's/ in [0-9.]* s;/;/')
	b=$("$weft" run --no-progress --strategy dfs --no-fork-server -- "$prog" 2>&1 | grep -E '^weft: (OK|BUG|explored|[0-9]+ distinct)' | sed 's/ in [0-9.]* s;/;/')
	if [ "$a" != "$b" ] || [ -z "$a" ]; then
		echo "FAIL $(basename "$prog"): fork server said"
		echo "$a"
		echo "one process per execution said"
		echo "$b"
		failures=$((failures + 1))
	else
		echo "ok $(basename "$prog"): $(echo "$a" | tail -n 1)"
	fi
done
exit "$failures"
