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
# exactly EXECUTIONS executions of depth-first search unless '-'.
expect_ok() {
	name=$1 count=$2
	shift 2
	checks=$((checks + 1))
	"$weft" run --no-progress --strategy dfs "$@" >"$out/out" 2>"$out/err"
	status=$?
	line=$(grep '^weft: OK: no bug in' "$out/err")
	n=$(echo "$line" | sed -n 's/^weft: OK: no bug in \([0-9]*\) execution.*/\1/p')
	if [ "$status" -ne 0 ] || ! echo "$line" | grep -Eq '; complete( for the operations weft sees)? \('; then
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
	if ! grep -Eq "^  . +[0-9]+  T[0-9]+ +$function +.*\.c(pp)?:[0-9]+ \(" "$out/err"; then
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

# A function of a shared library, called through the program's GOT. The
# lock's atomic instructions are trapped by default (atomic_trap.c), which
# finds the bug without --yield-at too; with trapping off, weft sees no lock.
for program in lost_update lost_update_now lost_update_noplt; do
	export WEFT_TRAP_ATOMICS=0
	expect_ok "$program without --yield-at, trapping off" 19 -- "$dir/$program"
	unset WEFT_TRAP_ATOMICS
	checks=$((checks + 1))
	"$weft" run --no-progress -- "$dir/$program" >"$out/out" 2>"$out/err"
	if [ $? -eq 1 ] && head -n 1 "$out/err" | grep -q '^weft: BUG assertion:' &&
		grep -q 'atomic instruction (trapped) .*spin\.c:[0-9]* (spin_lock)' "$out/err"; then
		echo "ok $program without --yield-at: assertion found through the trapped lock"
	else
		fail "$program without --yield-at: expected the assertion through spin_lock's trapped instruction"
	fi
	expect_bug "$program" assertion spin_lock \
		--yield-at "$spin_lock" --yield-at "$spin_unlock" -- "$dir/$program"
done
# A function of the program, called through a shared library's GOT.
for program in host host_now; do
	export WEFT_TRAP_ATOMICS=0
	expect_ok "$program without --yield-at, trapping off" 19 -- "$dir/$program"
	unset WEFT_TRAP_ATOMICS
	expect_bug "$program" assertion host_lock \
		--yield-at "$host_lock" --yield-at "$host_unlock" -- "$dir/$program"
done
# The count is that of the lock model alone: the trapped instructions inside
# spin_lock would add scheduling points of their own (sound, not smaller).
export WEFT_TRAP_ATOMICS=0
expect_ok lost_update_fixed 151 --yield-at "$spin_lock" --yield-at "$spin_unlock" \
	-- "$dir/lost_update_fixed"
unset WEFT_TRAP_ATOMICS
expect_bug abba deadlock spin_lock \
	--yield-at "$spin_lock" --yield-at "$spin_unlock" -- "$dir/abba"

# The roles below are counted with the lock library's atomic instructions
# untrapped: trapped, each would add scheduling points of its own (and find
# the C++ lock's bug without --yield-at).
export WEFT_TRAP_ATOMICS=0

# trylock(N): a failed try found, the retry loop explored completely, the
# return convention spelt out giving the same count.
spin_trylock='spin_trylock(int*)->int=trylock(1)'
spin_pause='spin_pause(void)->void=yield'
expect_ok "trylock without --yield-at" 19 -- "$dir/trylock"
expect_bug trylock assertion spin_trylock --yield-at "$spin_trylock" \
	--yield-at "$spin_unlock" --yield-at "$spin_pause" -- "$dir/trylock"
expect_ok "trylock retry" 202 --yield-at "$spin_trylock" --yield-at "$spin_unlock" \
	--yield-at "$spin_pause" -- "$dir/trylock" retry
expect_ok "trylock(1)==1" 202 --yield-at 'spin_trylock(int*)->int=trylock(1)==1' \
	--yield-at "$spin_unlock" --yield-at "$spin_pause" -- "$dir/trylock" retry

# wait(N,M), signal(N): a condition variable of the program's own, modelled;
# a lost wake-up found as a deadlock, the fixed producer complete (81
# executions); a wait whose lock functions are not named is refused.
cond_wait='spin_cond_wait(struct spin_cond *c, int *lock)->int=wait(1,2)'
cond_signal='spin_cond_signal(struct spin_cond *c)->void=signal(1)'
expect_bug condvar deadlock spin_cond_wait --yield-at "$spin_lock" --yield-at "$spin_unlock" \
	--yield-at "$cond_wait" --yield-at "$cond_signal" -- "$dir/condvar"
expect_ok "condvar fixed" 81 --yield-at "$spin_lock" --yield-at "$spin_unlock" \
	--yield-at "$cond_wait" --yield-at "$cond_signal" -- "$dir/condvar" fixed
refuses "wait without its lock functions" "name them too" \
	--yield-at "$cond_wait" --yield-at "$cond_signal" -- "$dir/condvar" fixed

# A C++ class's members named by their signatures (and by a mangled name).
expect_ok "lost_update_cxx without --yield-at" - -- "$dir/lost_update_cxx"
expect_bug "lost_update_cxx by signature" assertion 'spin::Lock::lock\(\)' \
	--yield-at '"spin::Lock::lock()"(void *self)->void=lock(1)' \
	--yield-at '"spin::Lock::unlock()"(void *self)->void=unlock(1)' -- "$dir/lost_update_cxx"
expect_bug "lost_update_cxx by mangled name" assertion _ZN4spin4Lock4lockEv \
	--yield-at '_ZN4spin4Lock4lockEv(void *self)->void=lock(1)' \
	--yield-at '_ZN4spin4Lock6unlockEv(void *self)->void=unlock(1)' -- "$dir/lost_update_cxx"
refuses "unknown C++ signature" "no loaded object exports a C++ function" \
	--yield-at '"spin::Lock::grab()"(void *self)->void=lock(1)' -- "$dir/lost_update_cxx"
unset WEFT_TRAP_ATOMICS

# The file form, with comments, blank lines and spaces.
printf '# libspin\n%s\n\n  %s   # release\n' "$spin_lock" "$spin_unlock" >"$out/specs"
expect_bug "--yield-file" assertion spin_lock --yield-file "$out/specs" -- "$dir/lost_update"

# yield and blocking: without them the waiting thread holds the turn. A
# spin in the program's code is preempted (README, "Spin-waits on plain
# memory"), slower but to the same end; with preemption off it hangs. A
# read() of a pipe is a descriptor wait weft models (README, "Threads that
# wait for each other through descriptors"): no --yield-at needed.
checks=$((checks + 1))
WEFT_SPIN_QUANTUM_MS=0 "$weft" run --no-progress --hang-timeout 1 -- "$dir/spin_wait" \
	>"$out/out" 2>"$out/err"
head -n 1 "$out/err" | grep -q '^weft: BUG hang:' || fail "spin_wait without --yield-at: no hang"
expect_ok "spin_wait (preempted)" 16 -- "$dir/spin_wait"
expect_ok "pipe_reader (descriptor wait, no --yield-at)" 3 -- "$dir/pipe_reader"
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
refuses "trylock of a void function" "needs a function that returns whether" \
	--yield-at 'spin_trylock(int*)->void=trylock(1)' -- "$dir/trylock"
refuses "trylock without its value" "after '=='" \
	--yield-at 'spin_trylock(int*)->int=trylock(1)==' -- "$dir/trylock"
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
