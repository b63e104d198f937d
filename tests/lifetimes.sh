#!/bin/sh
# Objects that come and go, and weft's own limits, end to end on the
# programs of tests/lifetimes (their header comments say what each shows).
# Checked by exit status, execution counts and fixed lines of the report:
#   2,000 threads in waves of 8 pass (DPOR: 1 execution, complete);
#   65 threads alive at once are weft's limit: exit 2 naming it;
#   an object initialised with *_init keeps one number until destroyed;
#   process-shared objects used across fork are refused with exit 2.
# usage: lifetimes.sh WEFT DIR    (DIR holds the built tests/lifetimes programs)
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

# expect_ok NAME EXECUTIONS WEFT-ARGS...: no bug, complete, exactly EXECUTIONS.
expect_ok() {
	name=$1 count=$2
	shift 2
	checks=$((checks + 1))
	"$weft" run --no-progress "$@" >"$out/out" 2>"$out/err"
	status=$?
	if [ "$status" -ne 0 ]; then
		fail "$name: expected exit 0, got $status"
	elif ! grep -q "^weft: OK: no bug in $count executions\{0,1\} .*; complete" "$out/err"; then
		fail "$name: expected exactly $count executions, complete"
	fi
}

# expect_error NAME TEXT WEFT-ARGS...: exit 2, one 'weft: error:' line holding TEXT.
expect_error() {
	name=$1 text=$2
	shift 2
	checks=$((checks + 1))
	"$weft" run --no-progress "$@" >"$out/out" 2>"$out/err"
	status=$?
	if [ "$status" -ne 2 ]; then
		fail "$name: expected exit 2, got $status"
	elif ! grep -q "^weft: error: .*$text" "$out/err"; then
		fail "$name: expected an error saying '$text'"
	fi
}

expect_ok "2000 threads in waves of 8" 1 --strategy dpor -- "$dir/threads_in_waves"
expect_error "65 threads alive" "more than 64 threads alive at once.*weft's limit is 64" \
	-- "$dir/threads_65_alive"

# Process-shared objects with fork: refused, whichever comes first.
expect_error "pshared mutex, then fork" \
	"forks a child process and uses a process-shared object (a mutex initialised with PTHREAD_PROCESS_SHARED)" \
	-- "$dir/pshared_fork"
expect_error "fork, then pshared mutex" "forks a child process and uses a process-shared object" \
	-- "$dir/pshared_fork" fork-first

# One number from init to destroy, a new one after the next init.
checks=$((checks + 1))
"$weft" run --no-progress -- "$dir/init_numbering" >"$out/out" 2>"$out/err"
seen=$(awk '/^ +[0-9]+ +T0 / {print $3, $4}' "$out/err" | tr '\n' ';')
want='pthread_mutex_init mutex#1;sem_init sem#2;pthread_mutex_lock mutex#1;sem_wait sem#2;'
want="${want}pthread_mutex_unlock mutex#1;sem_post sem#2;sem_destroy sem#2;"
want="${want}pthread_mutex_destroy mutex#1;pthread_mutex_init mutex#3;sem_init sem#4;"
want="${want}pthread_mutex_lock mutex#3;sem_wait sem#4;pthread_mutex_unlock mutex#3;"
want="${want}sem_post sem#4;sem_destroy sem#4;pthread_mutex_destroy mutex#3;"
[ "$seen" = "$want" ] || fail "init numbering: expected $want, got $seen"

echo "lifetimes: $checks checks, $failures failed"
[ "$failures" -eq 0 ]
