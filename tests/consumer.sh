#!/bin/sh
# Installs weft from BUILD_DIR into a scratch prefix, then builds the
# consumer project (tests/consumer) against the installed package with
# find_package(weft) and runs its tests with ctest; also checks the
# pkg-config file. usage: consumer.sh SOURCE_DIR BUILD_DIR
set -eu
src=$1 build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/tests/consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
ctest --test-dir "$work/build" --output-on-failure
pc=$(find "$work/prefix" -name weft.pc | head -n 1)
[ -n "$pc" ] || { echo "FAIL: no weft.pc installed"; exit 1; }
PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs weft | grep -q -- -lweft ||
	{ echo "FAIL: pkg-config weft does not give -lweft"; exit 1; }
# the installed command finds its installed runtime and man page
"$work/prefix/bin/weft" --version
[ -f "$work/prefix/share/man/man1/weft.1" ] || { echo "FAIL: no man page installed"; exit 1; }
echo "consumer: ok"
