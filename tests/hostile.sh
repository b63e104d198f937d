#!/bin/sh
# weft against hostile programs and hostile conditions. Each check names the
# promise it tests; expectations are verdicts, exit statuses and exact
# execution counts, never timings (the only waits are generous polls for a
# process to appear or to be gone).
# usage: hostile.sh WEFT DIR_OF_HOSTILE_PROGRAMS
# The checks of kills, signals and time limits need an execution that
# never ends by itself: spin preemption, which would find the spin and end
# it as a livelock, is off.
WEFT_SPIN_QUANTUM_MS=0
export WEFT_SPIN_QUANTUM_MS
set -u
weft=$1 bin=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0 checks=0

fail() {
	failures=$((failures + 1))
	echo "FAIL $*"
	for f in "$dir/out" "$dir/err"; do
		[ -s "$f" ] && { echo "--- $f:"; tail -n 20 "$f"; }
	done
}

pass() {
	echo "ok $*"
}

# alive PATH: how many live (not zombie) processes run the program PATH.
alive() {
	n=0
	for p in $(pgrep -f -x "$1( .*)?" 2>/dev/null); do
		state=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)
		[ -n "$state" ] && [ "$state" != Z ] && n=$((n + 1))
	done
	echo "$n"
}

# wait_for COUNT_COMMAND: poll up to 30 s until the command prints non-zero.
wait_until() {
	i=0
	while [ $i -lt 300 ]; do
		if eval "$1"; then return 0; fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# --- Processes weft starts end with it ----------------------------------
# kill -9 of weft (one process, and with -j 2) leaves no process running
# the program and no file behind.
spin=$bin/spin_forever
for jobs in 1 2; do
	checks=$((checks + 1))
	before=$(ls -d /tmp/weft* 2>/dev/null | sort)
	"$weft" run --no-progress -j $jobs --hang-timeout 1000 -- "$spin" >"$dir/out" 2>"$dir/err" &
	pid=$!
	if ! wait_until '[ "$(alive "$spin")" -ge "$jobs" ]'; then
		fail "kill -9 (-j $jobs): the program never started"
		kill -9 $pid 2>/dev/null
		continue
	fi
	kill -9 $pid
	wait $pid 2>/dev/null
	if ! wait_until '[ "$(alive "$spin")" -eq 0 ]'; then
		fail "kill -9 of weft -j $jobs left $(alive "$spin") processes of the program running"
		pkill -9 -f -x "$spin" 2>/dev/null
	elif [ "$(ls -d /tmp/weft* 2>/dev/null | sort)" != "$before" ]; then
		fail "kill -9 of weft -j $jobs left files in /tmp"
	else
		pass "kill -9 of weft -j $jobs leaves no process and no file behind"
	fi
done

# SIGTERM and SIGINT end the run in order: summary, JSON, 128 + signal.
for sig in TERM INT; do
	checks=$((checks + 1))
	rm -f "$dir/report.json"
	"$weft" run --no-progress --hang-timeout 1000 --json "$dir/report.json" -- "$spin" \
		>"$dir/out" 2>"$dir/err" &
	pid=$!
	wait_until '[ "$(alive "$spin")" -ge 1 ]'
	kill -$sig $pid
	wait $pid
	status=$?
	want=$([ $sig = TERM ] && echo 143 || echo 130)
	if [ $status -ne "$want" ]; then
		fail "SIG$sig: expected exit $want, got $status"
	elif ! grep -q "INCOMPLETE (interrupted by SIG$sig)" "$dir/err"; then
		fail "SIG$sig: the summary does not say the run was interrupted"
	elif ! grep -q "\"stop_reason\": \"interrupted by SIG$sig\"" "$dir/report.json"; then
		fail "SIG$sig: the JSON report does not say the run was interrupted"
	elif ! wait_until '[ "$(alive "$spin")" -eq 0 ]'; then
		fail "SIG$sig left the program running"
	else
		pass "SIG$sig ends the run with its summary, its report and exit $want"
	fi
done

# --- Children of the program run outside weft ---------------------------
# A helper process with threads forked at the start of main (and outliving
# each execution) changes neither the verdict nor the count of a deadlock
# search, and is gone when weft is.
helper=$bin/fork_helper_deadlock
summary() {
	grep -E '^weft: (BUG|OK|explored)' "$dir/err" | sed -e 's/ in [0-9.]* s;/;/' -e 's/ in [0-9.]* s$//'
}
"$weft" run --no-progress --strategy dfs -- "$helper" no-helper >"$dir/out" 2>"$dir/err"
want=$(summary)
for server in --fork-server --no-fork-server; do
	for run in 1 2 3; do
		checks=$((checks + 1))
		opt=$([ $server = --no-fork-server ] && echo --no-fork-server || echo --no-progress)
		"$weft" run --no-progress $opt --strategy dfs -- "$helper" >"$dir/out" 2>"$dir/err"
		got=$(summary)
		if [ "$got" != "$want" ] || ! echo "$got" | grep -q 'BUG deadlock'; then
			fail "forked helper ($server, run $run): expected \"$want\", got \"$got\""
		elif ! wait_until '[ "$(alive "$helper")" -eq 0 ]'; then
			fail "forked helper ($server): $(alive "$helper") processes left behind"
			pkill -9 -f -x "$helper" 2>/dev/null
		else
			pass "forked helper ($server, run $run): same deadlock, same count, nothing left"
		fi
	done
done

# Shells started by system(), posix_spawn and fork+exec after threads exist
# inherit no LD_PRELOAD runtime, no WEFT_* variable and no exchange region
# (each checks; the program fails if one does); a daemon() process is ended
# with its execution.
children=$bin/spawn_children
unset WEFT_SPIN_QUANTUM_MS # the children check that no WEFT_* variable reaches them
for server in --no-progress --no-fork-server; do
	checks=$((checks + 1))
	"$weft" run --no-progress --strategy dfs $server -- "$children" daemon >"$dir/out" 2>"$dir/err"
	status=$?
	if [ $status -ne 0 ] || ! grep -q '^weft: OK: no bug in 6 executions' "$dir/err"; then
		fail "children of the program ($server): expected OK in 6 executions, got exit $status"
	elif ! wait_until '[ "$(alive "$children")" -eq 0 ]'; then
		fail "children of the program ($server): a daemon() process was left running"
		pkill -9 -f -x "$children( .*)?" 2>/dev/null
	else
		pass "children of the program ($server) run without weft and end with it"
	fi
done
export WEFT_SPIN_QUANTUM_MS=0

# Children of raw clone system calls (no fork handlers run): a helper cloned
# at the start of main changes neither the verdict nor the count of the
# deadlock search; children cloned by a worker (SYS_clone, SYS_clone3) run
# on the real functions and start a plain shell, and the one that outlives
# its execution is ended with it (with and without the fork server); a raw
# clone of a thread is refused with exit 2 naming it.
rc_prog=$bin/raw_clone_children
"$weft" run --no-progress --strategy dfs -- "$rc_prog" none >"$dir/out" 2>"$dir/err"
want=$(summary)
for run in 1 2; do
	checks=$((checks + 1))
	"$weft" run --no-progress --strategy dfs -- "$rc_prog" helper >"$dir/out" 2>"$dir/err"
	got=$(summary)
	if [ "$got" != "$want" ] || ! echo "$got" | grep -q 'BUG deadlock'; then
		fail "raw clone helper (run $run): expected \"$want\", got \"$got\""
	elif ! wait_until '[ "$(alive "$rc_prog")" -eq 0 ]'; then
		fail "raw clone helper: $(alive "$rc_prog") processes left behind"
		pkill -9 -f -x "$rc_prog( .*)?" 2>/dev/null
	else
		pass "raw clone helper (run $run): same deadlock, same count, nothing left"
	fi
done
unset WEFT_SPIN_QUANTUM_MS # the children check that no WEFT_* variable reaches them
# (Kernel threads only: under fibers the count of this program varies from
# run to run on a loaded machine once a child is left sleeping behind;
# fibers with children are the fiber layer's open work.)
for server in --no-progress --no-fork-server; do
	checks=$((checks + 1))
	"$weft" run --no-progress --strategy dfs --threads=kernel $server -- "$rc_prog" after \
		>"$dir/out" 2>"$dir/err"
	status=$?
	if [ $status -ne 0 ] || ! grep -q '^weft: OK: no bug in 6 executions' "$dir/err"; then
		fail "raw clone children ($server): expected OK in 6 executions, got exit $status"
	elif ! wait_until '[ "$(alive "$rc_prog")" -eq 0 ]'; then
		fail "raw clone children ($server): a child was left running"
		pkill -9 -f -x "$rc_prog( .*)?" 2>/dev/null
	else
		pass "raw clone children ($server) run without weft and end with it"
	fi
done
export WEFT_SPIN_QUANTUM_MS=0
checks=$((checks + 1))
timeout 120 "$weft" run --no-progress -- "$rc_prog" thread >"$dir/out" 2>"$dir/err"
status=$?
if [ $status -eq 2 ] && grep -q 'syscall(SYS_clone) with CLONE_THREAD' "$dir/err"; then
	pass "a raw clone of a thread is refused (exit 2) naming it"
else
	fail "raw clone of a thread: expected exit 2 naming it, got exit $status"
fi

# --- Signals the program sends itself -----------------------------------
# A handler that takes a lock gives one verdict over 20 runs, and the token
# of that verdict replays it 20 times out of 20.
sig=$bin/signal_lock
checks=$((checks + 1))
verdicts=""
for run in $(seq 20); do
	"$weft" run --no-progress --strategy dfs -- "$sig" >"$dir/out" 2>"$dir/err"
	verdicts="$verdicts$(summary | head -n 1)
"
done
distinct=$(printf '%s' "$verdicts" | sort -u | grep -c .)
if [ "$distinct" -ne 1 ] || ! printf '%s' "$verdicts" | grep -q '^weft: BUG misuse'; then
	fail "signal handler that locks: $distinct different verdicts over 20 runs"
	printf '%s' "$verdicts" | sort | uniq -c
else
	pass "signal handler that locks: one verdict over 20 runs (BUG misuse)"
fi
checks=$((checks + 1))
token=$(sed -n 's/^  replay: weft replay .*\(weft1:[A-Za-z0-9_-]*\) -- .*/\1/p' "$dir/err")
replayed=0
for run in $(seq 20); do
	"$weft" replay "$token" -- "$sig" >"$dir/out" 2>"$dir/err"
	[ $? -eq 1 ] && grep -q '^weft: BUG misuse' "$dir/err" && replayed=$((replayed + 1))
done
if [ $replayed -eq 20 ]; then
	pass "signal handler that locks: the token replays 20 of 20"
else
	fail "signal handler that locks: the token replays $replayed of 20"
fi

# --- Synchronisation before main keeps the fork server ------------------
checks=$((checks + 1))
"$weft" run --no-progress --strategy dfs -- "$bin/premain_sync" >"$dir/out" 2>"$dir/err"
if grep -q 'note: .*before main' "$dir/err"; then
	fail "pthread_once/pthread_mutex_init before main turned the fork server off"
elif ! grep -q 'OK: no bug in 151 executions' "$dir/err"; then
	fail "pre-main synchronisation changed the count (expected 151 executions)"
else
	pass "synchronisation before main keeps the fork server and adds no steps"
fi

# --- The exchange region cannot fool weft -------------------------------
# A program that overwrites the region gets an error (exit 2) or a
# divergence, never OK, never a crash or a hang of weft. Depth-first search
# reaches the attack (made once both workers counted) in execution 2, with a
# plan to overwrite, before any schedule that loses an update.
writer=$bin/exchange_writer
for attack in garbage steps threads counts objects plan header message; do
	checks=$((checks + 1))
	timeout 120 "$weft" run --no-progress --strategy dfs -- "$writer" $attack >"$dir/out" 2>"$dir/err"
	status=$?
	if [ $status -eq 2 ] && grep -q '^weft: error: the exchange region holds a record' "$dir/err"; then
		pass "exchange attack '$attack': an error naming the corruption"
	elif [ $status -eq 1 ] && grep -q '^weft: BUG diverged' "$dir/err"; then
		pass "exchange attack '$attack': diverged"
	else
		fail "exchange attack '$attack': exit $status"
	fi
done
# The program's text reaches the terminal and the JSON report clean: no
# escape character, valid UTF-8, a report that parses.
checks=$((checks + 1))
"$weft" run --no-progress --json "$dir/report.json" -- "$writer" output >"$dir/out" 2>"$dir/err"
status=$?
esc=$(printf '\033')
if [ $status -ne 1 ] || ! grep -q '^weft: BUG assertion' "$dir/err"; then
	fail "escape sequences on stderr: expected the assertion (exit 1), got exit $status"
elif grep -q "$esc" "$dir/err" || ! iconv -f UTF-8 -t UTF-8 "$dir/err" >/dev/null 2>&1; then
	fail "escape sequences on stderr: the report passes control characters or bad UTF-8 on"
elif ! iconv -f UTF-8 -t UTF-8 "$dir/report.json" >/dev/null 2>&1 ||
	{ "$weft" merge "$dir/report.json" >/dev/null 2>&1; [ $? -gt 1 ]; }; then
	fail "escape sequences on stderr: the JSON report is not valid UTF-8 JSON"
else
	pass "the program's text is sanitised in the text and JSON reports"
fi

# --- Tokens belong to their program -------------------------------------
"$weft" run --no-progress -- "$helper" no-helper >"$dir/out" 2>"$dir/err"
token=$(sed -n 's/^  replay: weft replay .*\(weft1:[A-Za-z0-9_-]*\) -- .*/\1/p' "$dir/err")
# expect_replay STATUS KEYWORD DESCRIPTION PROGRAM ARGS...
expect_replay() {
	want=$1 keyword=$2 what=$3
	shift 3
	checks=$((checks + 1))
	"$weft" replay "$token_used" -- "$@" >"$dir/out" 2>"$dir/err"
	status=$?
	if [ $status -ne "$want" ] || ! grep -q "$keyword" "$dir/err"; then
		fail "$what: expected exit $want and '$keyword', got exit $status"
	else
		pass "$what"
	fi
}
case "$token" in
*_P*) ;;
*) fail "the token '$token' does not name its program" ;;
esac
token_used=$token
expect_replay 1 '^weft: BUG deadlock' "the token replays on its own program and arguments" \
	"$helper" no-helper
expect_replay 2 '^weft: this token was recorded with other arguments' \
	"a token replayed with other arguments is refused" "$helper" other-arguments
expect_replay 2 '^weft: this token was recorded with another program' \
	"a token replayed on another program is refused" "$writer" no-helper
token_used=${token%_P*}
expect_replay 1 '^weft: BUG deadlock' "a token without its program part still replays" \
	"$helper" no-helper

# --- Closed descriptors and bad inputs ----------------------------------
checks=$((checks + 1))
"$weft" run --no-progress -- "$helper" no-helper <&- >&- 2>"$dir/err"
status=$?
if [ $status -eq 1 ] && grep -q '^weft: BUG deadlock' "$dir/err"; then
	pass "weft runs with stdin and stdout closed"
else
	fail "stdin and stdout closed: expected the deadlock (exit 1), got exit $status"
fi
checks=$((checks + 1))
"$weft" run --no-progress -- "$helper" no-helper 2>&-
status=$?
if [ $status -eq 1 ]; then
	pass "weft runs with stderr closed"
else
	fail "stderr closed: expected the deadlock (exit 1), got exit $status"
fi

# refuses KEYWORD ARGS...: `weft ARGS` exits 2 with one line holding KEYWORD
# and explores nothing.
refuses() {
	keyword=$1
	shift
	checks=$((checks + 1))
	"$@" >"$dir/out" 2>"$dir/err"
	status=$?
	lines=$(grep -v "^(run 'weft --help' for usage)\$" "$dir/err" | grep -c .)
	if [ $status -ne 2 ] || [ "$lines" -ne 1 ] || ! grep -Eq "^weft( merge)?: .*$keyword" "$dir/err"; then
		fail "$*: expected one line with '$keyword' and exit 2, got exit $status"
	else
		pass "$(echo "$*" | sed "s|$weft|weft|; s|$bin/||g"): $(head -n 1 "$dir/err")"
	fi
}
refuses 'standard output, which is closed' sh -c "exec \"\$0\" run --no-progress --tap -- \"\$1\" no-helper >&-" "$weft" "$helper"
refuses 'standard output, which is closed' sh -c "exec \"\$0\" run --no-progress --junit - -- \"\$1\" no-helper >&-" "$weft" "$helper"
# A full stdout is found when the TAP report is flushed, after the run.
checks=$((checks + 1))
"$weft" run --no-progress --tap -- "$helper" no-helper >/dev/full 2>"$dir/err"
status=$?
if [ $status -eq 2 ] && grep -q '^weft: cannot write to standard output' "$dir/err"; then
	pass "--tap to a full stdout: exit 2 and a one-line error"
else
	fail "--tap to a full stdout: expected exit 2 and an error, got exit $status"
fi
refuses 'cannot write the report there' "$weft" run --no-progress --json /nonexistent/dir/report.json -- "$helper" no-helper
refuses 'cannot write the report there' "$weft" run --no-progress --json "$dir" -- "$helper" no-helper
refuses 'hang-timeout needs' "$weft" run --no-progress --hang-timeout 1e-9 -- "$helper" no-helper
refuses 'hang-timeout needs' "$weft" run --no-progress --hang-timeout inf -- "$helper" no-helper
refuses 'time-limit needs' "$weft" run --no-progress --time-limit nan -- "$helper" no-helper
refuses 'spurious-wakeups needs' "$weft" run --no-progress --spurious-wakeups 1001 -- "$helper" no-helper
refuses 'not a regular file' "$weft" merge /dev/zero
mkfifo "$dir/fifo"
refuses 'not a regular file' "$weft" merge "$dir/fifo"
# weft's own lack of memory (here: too little address space for the
# exchange region) is an error of weft's, exit 2, never a bug of the program.
checks=$((checks + 1))
(ulimit -v 60000 && exec "$weft" run --no-progress -- "$helper" no-helper) >"$dir/out" 2>"$dir/err"
status=$?
if [ $status -eq 2 ] && grep -q '^weft: error: cannot map the exchange region' "$dir/err"; then
	pass "weft out of memory: an error of weft's (exit 2), not a bug"
else
	fail "weft out of memory: expected exit 2 and an error, got exit $status"
fi
checks=$((checks + 1))
"$weft" run --no-progress --spurious-wakeups 3 -- "$helper" no-helper >"$dir/out" 2>"$dir/err"
if [ $? -eq 1 ] && grep -q '^weft: BUG deadlock' "$dir/err"; then
	pass "--spurious-wakeups 3 takes 3 as its count"
else
	fail "--spurious-wakeups 3: expected the deadlock"
fi

# --- Time limits hold everywhere ----------------------------------------
# --time-limit ends an execution that is still running (here one that
# spins with a hang timeout far beyond the limit): the run stops with the
# budget's reason, not after the hang timeout.
checks=$((checks + 1))
timeout 120 "$weft" run --no-progress --hang-timeout 100000 --time-limit 1 -- "$spin" \
	>"$dir/out" 2>"$dir/err"
status=$?
if [ $status -eq 0 ] && grep -q 'INCOMPLETE (the --time-limit budget ran out)' "$dir/err"; then
	pass "--time-limit ends a running execution"
else
	fail "--time-limit with a spinning execution: exit $status"
fi
# --time-limit bounds a --keep-going run too, the shrinking of every bug
# it finds included: the run ends with the budget's reason.
checks=$((checks + 1))
timeout 120 "$weft" run --no-progress --keep-going --time-limit 2 -- "$bin/many_bugs" \
	>"$dir/out" 2>"$dir/err"
status=$?
if [ $status -eq 1 ] && grep -q '^weft: BUG assertion' "$dir/err" &&
	grep -q 'the --time-limit budget ran out' "$dir/err"; then
	pass "--time-limit ends a --keep-going run with its bugs shrunk and reported"
else
	fail "--time-limit with --keep-going: exit $status"
fi
# A hang is not shrunk: each attempt would wait for the hang timeout again.
checks=$((checks + 1))
"$weft" run --no-progress --hang-timeout 0.5 --json "$dir/hang.json" -- "$bin/hang_after_preemption" \
	>"$dir/out" 2>"$dir/err"
status=$?
if [ $status -eq 1 ] && grep -q '^weft: BUG hang' "$dir/err" &&
	grep -q '"shrink_executions": 0' "$dir/hang.json"; then
	pass "a hang is reported without shrinking"
else
	fail "hang: expected BUG hang without shrink executions, exit $status"
fi
# A thread that is not given the CPU is not a hang: an execution stopped
# (SIGSTOP) for three times the hang timeout, then let go, ends without bug.
slow=$bin/slow_steps
checks=$((checks + 1))
"$weft" run --no-progress --hang-timeout 1 -- "$slow" >"$dir/out" 2>"$dir/err" &
pid=$!
wait_until '[ "$(alive "$slow")" -ge 2 ]'
sleep 0.5
for p in $(pgrep -f -x "$slow"); do kill -STOP "$p"; done
sleep 3
for p in $(pgrep -f -x "$slow"); do kill -CONT "$p"; done
wait $pid
status=$?
if [ $status -eq 0 ] && grep -q '^weft: OK' "$dir/err"; then
	pass "a stopped execution (not given the CPU) is not a hang"
else
	fail "stopped execution: expected OK, got exit $status"
fi

echo "$((checks - failures)) of $checks checks passed"
[ "$failures" -eq 0 ]
