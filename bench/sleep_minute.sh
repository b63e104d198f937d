#!/bin/sh
# Virtual time: a program that sleeps 60 s in total (bench/programs/
# sleep_minute.c) explored by weft, against its virtual duration. Prints
# the wall time of the whole `weft run` (best of 5) and weft's own figure.
# usage: bench/sleep_minute.sh [BUILD_DIR]
set -eu
build=${1:-build}
here=$(dirname "$0")
weft=$build/weft
[ -x "$weft" ] || { echo "build first: cmake --build $build"; exit 2; }
prog=$build/bench/sleep_minute
if [ ! -x "$prog" ]; then
	mkdir -p "$build/bench"
	cc -O1 -g -pthread "$here/programs/sleep_minute.c" -o "$prog"
fi
best=
for i in 1 2 3 4 5; do
	start=$(date +%s%N)
	"$weft" run --no-progress -- "$prog" 2>"$build/bench/sleep_minute.out"
	end=$(date +%s%N)
	ms=$(( (end - start) / 1000000 ))
	if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done
echo "program: sleep_minute.c, 60 s of virtual sleep (native run: 60 s)"
sed -n 's/^weft: /weft said: /p' "$build/bench/sleep_minute.out"
echo "wall time of 'weft run', best of 5: $best ms"
