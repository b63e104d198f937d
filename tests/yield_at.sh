#!/bin/sh
# --yield-at end to end, on the programs of examples/spinlock (their header
# comments say what each one shows). Checked by exit status and by the
# report's fixed lines, never by timing:
#   without --yield-at the spin-lock bugs are invisible (exit 0, complete);
#   with it they are found with the right kind, the report names the wrapped
#   function with its source line, the printed replay command (which carries
#   the --yield-at options) brings the same bug back three times;
#   this holds for a function in a shared library called from the program
#   (lazy binding, -z now, -fno-plt) and for a function in the program
#   called from a shared library (lazy binding, -z now);
#   the yield and blocking roles turn hangs into complete explorations;
#   every refusal exits 2 with one line that names the problem.
# usage: yield_at.sh WEFT DIR    (DIR holds the built examples/spinlock programs)
set -u
weft=$1 dir=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failures=0 checks=0

fail() {
	failures=$((failures + 1))
	echo "FAIL $*"
	echo "--- weft said:"
	cat "$out/err"
}

spin_lock='spin_lock(int*)->void=lock(1)'
spin_unlock='spin_unlock(int*)->void=unlock(1)'
host_lock='host_lock(int *lock) -> void = lock(1)'
host_unlock='host_unlock(int *lock) -> void = unlock(1)'

# expect_ok NAME EXECUTIONS|- WEFT-ARGS...: no bug, complete exploration,
# exactly EXECUTIONS executions unless '-'.
expect_ok() {
	name=$1 count=$2
	shift 2
	checks=$((checks + 1))
	"$weft" run --no-progress "$@" >"$out/out" 2>"$out/err"
	status=$?
	line=$(grep '^weft: OK: no bug in' "$out/err")
	n=$(echo "$line" | sed -n 's/^weft: OK: no bug in \([0-9]*\) execution.*/\1/p')
	if [ "$status" -ne 0 ] || ! echo "$line" | grep -q '; complete ('; then
		fail "$name: expected no bug and a complete exploration (exit $status)"
	elif [ "$count" != - ] && [ "$n" != "$count" ]; then
		fail "$name: expected exactly $count executions, got '$n'"
	else
		echo "ok $name: no bug, complete, $n executions"
	fi
}

# expect_bug NAME KIND FUNCTION WEFT-ARGS...: the first bug has that kind,
# a step of the report names FUNCTION with a source location, and the
# replay command brings the same kind back three times.
expect_bug() {
	name=$1 kind=$2 function=$3
	shift 3
	checks=$((checks + 1))
	"$weft" run --no-progress "$@" >"$out/out" 2>"$out/err"
	status=$?
	replay=$(sed -n 's/^  replay: weft //p' "$out/err")
	if [ "$status" -ne 1 ] || ! head -n 1 "$out/err" | grep -q "^weft: BUG $kind:"; then
		fail "$name: expected a '$kind' bug (exit 1), got exit $status"
		return
	fi
	if ! grep -Eq "^  . +[0-9]+  T[0-9]+ +$function +.*\.c:[0-9]+ \(" "$out/err"; then
		fail "$name: no step of the report names $function with a source location"
		return
	fi
	case "$replay" in
	*--yield-at=*) ;;
	*) fail "$name: the replay command lacks the --yield-at options"; return ;;
	esac
	for i in 1 2 3; do
		eval "\"\$weft\" $replay" >/dev/null 2>"$out/replay"
		rstatus=$?
		if [ "$rstatus" -ne 1 ] || ! grep -q "^weft: BUG $kind:" "$out/replay"; then
			cat "$out/replay" >>"$out/err"
			fail "$name: replay $i did not bring the '$kind' bug back (exit $rstatus)"
			return
		fi
	done
	echo "ok $name: $kind found, $function in the report, replayed 3 times"
}

# refuses NAME KEYWORD WEFT-ARGS...: exit 2 and one 'weft: ...' line that
# holds KEYWORD (a "(run 'weft --help' for usage)" hint may follow).
refuses() {
	name=$1 keyword=$2
	shift 2
	checks=$((checks + 1))
	"$weft" run --no-progress "$@" >"$out/out" 2>"$out/err"
	status=$?
	lines=$(grep -c '^weft: ' "$out/err")
	others=$(grep -v '^weft: ' "$out/err" | grep -vc "^(run 'weft --help' for usage)\$")
	if [ "$status" -ne 2 ] || [ "$lines" -ne 1 ] || [ "$others" -ne 0 ]; then
		fail "$name: expected exit 2 and a one-line message, got exit $status"
	elif ! grep '^weft: ' "$out/err" | grep -qF -- "$keyword"; then
		fail "$name: expected the message to mention '$keyword'"
	else
		echo "ok refuses $name: $(grep '^weft: ' "$out/err" | cut -c1-100)..."
	fi
}

# A function of a shared library, called through the program's GOT.
for program in lost_update lost_update_now lost_update_noplt; do
	expect_ok "$program without --yield-at" 19 -- "$dir/$program"
	expect_bug "$program" assertion spin_lock \
		--yield-at "$spin_lock" --yield-at "$spin_unlock" -- "$dir/$program"
done
# A function of the program, called through a shared library's GOT.
for program in host host_now; do
	expect_ok "$program without --yield-at" 19 -- "$dir/$program"
	expect_bug "$program" assertion host_lock \
		--yield-at "$host_lock" --yield-at "$host_unlock" -- "$dir/$program"
done
expect_ok lost_update_fixed 151 --yield-at "$spin_lock" --yield-at "$spin_unlock" \
	-- "$dir/lost_update_fixed"
expect_bug abba deadlock spin_lock \
	--yield-at "$spin_lock" --yield-at "$spin_unlock" -- "$dir/abba"

# The file form, with comments, blank lines and spaces.
printf '# libspin\n%s\n\n  %s   # release\n' "$spin_lock" "$spin_unlock" >"$out/specs"
expect_bug "--yield-file" assertion spin_lock --yield-file "$out/specs" -- "$dir/lost_update"

# yield and blocking: without them the waiting thread holds the turn. A
# spin in the program's code is preempted (README, "Spin-waits on plain
# memory"), slower but to the same end; with preemption off it hangs.
checks=$((checks + 2))
WEFT_SPIN_QUANTUM_MS=0 "$weft" run --no-progress --hang-timeout 1 -- "$dir/spin_wait" \
	>"$out/out" 2>"$out/err"
head -n 1 "$out/err" | grep -q '^weft: BUG hang:' || fail "spin_wait without --yield-at: no hang"
expect_ok "spin_wait (preempted)" 16 -- "$dir/spin_wait"
"$weft" run --no-progress --hang-timeout 1 -- "$dir/pipe_reader" >"$out/out" 2>"$out/err"
head -n 1 "$out/err" | grep -q '^weft: BUG hang:.*read()' ||
	fail "pipe_reader without --yield-at: no hang in read()"
expect_ok "spin_wait (yield)" - --yield-at 'spin_pause(void)->void=yield' -- "$dir/spin_wait"
expect_ok "pipe_reader (blocking)" 6 \
	--yield-at 'read(int, void *, size_t) -> ssize_t = blocking' -- "$dir/pipe_reader"

# Refusals: by the parser, before anything runs...
refuses "unknown type" "unknown type 'queue_t'" \
	--yield-at 'spin_lock(queue_t)->void' -- "$dir/lost_update"
refuses "bad argument index" "bad argument index" \
	--yield-at 'spin_lock(int*)->void=lock(2)' -- "$dir/lost_update"
refuses "unknown role" "unknown role 'grab'" \
	--yield-at 'spin_lock(int*)->void=grab(1)' -- "$dir/lost_update"
refuses "variadic" "variadic" --yield-at 'spin_lock(int*, ...)->void' -- "$dir/lost_update"
refuses "twice" "already wrapped" \
	--yield-at "$spin_lock" --yield-at 'spin_lock(int*)->void' -- "$dir/lost_update"
refuses "missing file" "cannot read it" --yield-file "$out/none" -- "$dir/lost_update"
# ...and by the runtime, at start-up in the program.
refuses "missing symbol" "no_such_lock" \
	--yield-at 'no_such_lock(int*)->void=lock(1)' -- "$dir/lost_update"
refuses "no GOT caller" "spin_trylock is defined in" \
	--yield-at 'spin_trylock(int*)->int' -- "$dir/lost_update"
refuses "modelled by weft" "weft already models pthread_mutex_lock" \
	--yield-at 'pthread_mutex_lock(void*)->int' -- "$dir/lost_update"

echo "yield_at.sh: $checks checks, $failures failed"
[ "$failures" -eq 0 ]
