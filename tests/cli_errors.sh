#!/bin/sh
# The weft command's refusals and budgets, checked by exit status and by a
# keyword of the message, never by timing:
#   every refusal exits 2 and says what was wrong in one line that starts
#   with "weft:" (a "(run 'weft --help' for usage)" hint may follow it);
#   a run stopped by --max-executions exits 0 and says INCOMPLETE;
#   --json FILE writes a report with a "verdict";
#   a token replayed against another program is refused (exit 2); without
#   the part that names its program it is reported as diverged.
# usage: cli_errors.sh WEFT STATIC_PROGRAM PROGRAM_WITH_6_EXECUTIONS DEADLOCKING_PROGRAM
set -u
weft=$1 static_program=$2 program=$3 deadlocking=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0 checks=0

fail() {
	failures=$((failures + 1))
	echo "FAIL $*"
	echo "--- weft said:"
	cat "$dir/err"
}

# refuses KEYWORD ARGS...: `weft ARGS` must exit 2 with a one-line message
# holding KEYWORD.
refuses() {
	keyword=$1
	shift
	checks=$((checks + 1))
	"$weft" "$@" >"$dir/out" 2>"$dir/err"
	status=$?
	if [ "$status" -ne 2 ]; then
		fail "weft $*: expected exit 2, got $status"
		return
	fi
	message_lines=$(grep -c '^weft: ' "$dir/err")
	other_lines=$(grep -v '^weft: ' "$dir/err" | grep -vc "^(run 'weft --help' for usage)\$")
	if [ "$message_lines" -ne 1 ] || [ "$other_lines" -ne 0 ]; then
		fail "weft $*: expected a one-line 'weft: ...' message"
		return
	fi
	if ! grep '^weft: ' "$dir/err" | grep -qi -- "$keyword"; then
		fail "weft $*: expected the message to mention '$keyword'"
		return
	fi
	echo "ok refuses ($keyword): weft $*"
}

refuses "unknown option" run --no-such-option -- "$program"
refuses "no such file" run -- "$dir/no-such-program"
refuses "no program" run
refuses "no program" run --
refuses "statically linked" run -- "$static_program"
refuses "max-executions" run --max-executions 0 -- "$program"
refuses "max-executions" run --max-executions -5 -- "$program"
refuses "max-executions" run --max-executions abc -- "$program"

# Tokens: a malformed one, and a real one (from a deadlock) cut short or
# with its last character (part of the checksum) changed.
refuses "token" replay not-a-token -- "$program"
refuses "token" replay -- "$program"
"$weft" run --no-progress -- "$deadlocking" 2>"$dir/err"
token=$(sed -n 's/^  replay: weft replay .*\(weft1:[A-Za-z0-9_-]*\) -- .*/\1/p' "$dir/err")
checks=$((checks + 1))
if [ -z "$token" ]; then
	fail "no replay token in the report of $deadlocking"
else
	truncated=$(printf '%s' "$token" | sed 's/....$//')
	refuses "truncated" replay "$truncated" -- "$deadlocking"
	case "$token" in
	*A) wrong=$(printf '%s' "$token" | sed 's/.$/B/') ;;
	*) wrong=$(printf '%s' "$token" | sed 's/.$/A/') ;;
	esac
	refuses "checksum" replay "$wrong" -- "$deadlocking"
	# A sound token replayed against another program: the token names the
	# program it was recorded with, so weft refuses it.
	refuses "another program" replay "$token" -- "$program"
	# Without that part the schedule does not fit, which is a bug report
	# (diverged, exit 1), not a usage error.
	checks=$((checks + 1))
	"$weft" replay "${token%_P*}" -- "$program" >"$dir/out" 2>"$dir/err"
	status=$?
	if [ "$status" -ne 1 ] || ! head -n 1 "$dir/err" | grep -q '^weft: BUG diverged:'; then
		fail "replay on another program: expected BUG diverged and exit 1, got exit $status"
	else
		echo "ok replay on another program: BUG diverged, exit 1"
	fi
fi

# A budget that runs out is not an error: exit 0, and the report says the
# exploration is incomplete.
checks=$((checks + 1))
"$weft" run --no-progress --max-executions 3 -- "$program" >"$dir/out" 2>"$dir/err"
status=$?
if [ "$status" -ne 0 ]; then
	fail "--max-executions 3: expected exit 0, got $status"
elif ! grep -q 'INCOMPLETE' "$dir/err"; then
	fail "--max-executions 3: expected the report to say INCOMPLETE"
else
	echo "ok --max-executions 3: exit 0, INCOMPLETE"
fi

checks=$((checks + 1))
"$weft" run --no-progress --json "$dir/report.json" -- "$program" >"$dir/out" 2>"$dir/err"
status=$?
if [ "$status" -ne 0 ]; then
	fail "--json: expected exit 0, got $status"
elif ! grep -q '"verdict"' "$dir/report.json" 2>/dev/null; then
	fail "--json: expected $dir/report.json to hold a \"verdict\""
else
	echo "ok --json FILE: the file has a verdict"
fi

# A script that execs a static program: weft's runtime loads into the
# shell only, so weft must say it never took control, not just "OK".
checks=$((checks + 1))
printf '#!/bin/sh\nexec "%s"\n' "$static_program" >"$dir/wrapper.sh"
chmod +x "$dir/wrapper.sh"
"$weft" run --no-progress -- "$dir/wrapper.sh" >"$dir/out" 2>"$dir/err"
if ! grep -q "made no call weft controls" "$dir/err"; then
	fail "a script running a static program: expected a note that weft controlled nothing"
else
	echo "ok a script running a static program: weft says it controlled nothing"
fi

echo "cli_errors: $checks checks, $failures failed"
[ "$failures" -eq 0 ]
