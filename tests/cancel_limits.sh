#!/bin/sh
# What weft does not model about cancellation ends in an error (exit status
# 2) that names it, in every strategy's first execution that reaches it.
# usage: cancel_limits.sh WEFT INSIDE_BLOCKING
set -u
weft=$1 program=$2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$weft" run --no-progress --hang-timeout 5 \
	--yield-at 'read(int,void*,size_t)->ssize_t=blocking' -- "$program" 2>"$out"
status=$?
if [ "$status" -ne 2 ] ||
	! grep -q 'pthread_cancel of a thread inside a call named with --yield-at' "$out"; then
	echo "FAIL: cancelling a thread inside a blocking call: expected exit 2 naming it, got $status"
	cat "$out"
	exit 1
fi
echo "cancel_limits.sh: ok"
