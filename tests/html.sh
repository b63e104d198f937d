#!/bin/sh
# The HTML report as a person sees it, in a real browser (headless
# Chromium): for a deadlock, a data race (an instrumented example) and a C++
# assertion, the page draws one lane per thread, marks where the bug shows,
# shows the source line of the selected step, raises no script error, and
# its screenshot is not blank. Exits 77 (skipped) only when Chromium is not
# installed; scripts/deps installs it. A 500-step livelock checks that a long
# trace opens with the bug in view on a laptop-sized window.
# usage: html.sh WEFT EXAMPLES_DIR CASES_DIR PNG_COLORS
set -u
weft=$1 examples=$2 cases=$3 png_colors=$4
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
	echo "SKIP: no chromium to render the HTML report in (scripts/deps installs it)"
	exit 77
fi
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A profile of its own, so runs never share or leave browser state.
run_browser() {
	timeout 60 "$browser" --headless --disable-gpu --no-sandbox --no-first-run \
		--user-data-dir="$tmp/profile" --hide-scrollbars "$@"
}
has() { # name, file, fixed text
	grep -qF -- "$3" "$2" || fail "$1: the page lacks: $3"
}
has_re() { # name, file, extended regular expression
	grep -qE -- "$3" "$2" || fail "$1: the page lacks: $3"
}
check() { # name, program, lanes, failing text, source line (a regular expression on the DOM),
	# weft options...
	name=$1 prog=$2 lanes=$3 failing=$4 source=$5
	shift 5
	"$weft" run --no-progress "$@" --html "$tmp/$name.html" -- "$prog" >/dev/null 2>"$tmp/$name.txt"
	[ -s "$tmp/$name.html" ] || {
		fail "$name: no HTML report written"
		return
	}
	grep -q 'src=\|href="http\|@import\|url(http' "$tmp/$name.html" &&
		fail "$name: the page refers to something outside itself"
	run_browser --enable-logging=stderr --v=0 --window-size=1366,768 --dump-dom "file://$tmp/$name.html" \
		>"$tmp/$name.dom" 2>"$tmp/$name.log"
	status=$(grep -o '<div id="weft-status"[^>]*>' "$tmp/$name.dom")
	echo "$name: $status"
	case $status in *'data-drawn="yes"'*) ;; *) fail "$name: the script did not finish drawing" ;; esac
	case $status in *'data-errors="0"'*) ;; *) fail "$name: script errors: $status" ;; esac
	case $status in *"data-lanes=\"$lanes\""*) ;; *) fail "$name: expected $lanes lanes: $status" ;; esac
	case $status in *"$failing"*) ;; *) fail "$name: expected the failing $failing: $status" ;; esac
	# On a laptop's screen the page opens with the bug in view, however long the trace.
	case $status in *'data-bug-in-view="yes"'*) ;; *) fail "$name: the bug is not in view: $status" ;; esac
	t=0
	while [ "$t" -lt "$lanes" ]; do
		has_re "$name" "$tmp/$name.dom" "<div class=\"lane-head\"[^>]*>T$t</div>"
		t=$((t + 1))
	done
	has_re "$name" "$tmp/$name.dom" "$source"
	has_re "$name" "$tmp/$name.dom" 'weft replay [^<]*weft1:'
	# The DevTools console: nothing uncaught, no error logged.
	if grep -E 'CONSOLE' "$tmp/$name.log" | grep -qiE 'uncaught|error'; then
		fail "$name: console errors: $(grep CONSOLE "$tmp/$name.log" | head -n 3)"
	fi
	run_browser --window-size=1400,900 --screenshot="$tmp/$name.png" "file://$tmp/$name.html" \
		>/dev/null 2>&1
	set -- $("$png_colors" "$tmp/$name.png" 2>/dev/null)
	if [ $# -ne 3 ]; then
		fail "$name: no readable screenshot"
	elif [ "$3" -lt 50 ]; then
		fail "$name: the screenshot is blank or nearly ($3 colours in $1x$2)"
	else
		echo "$name: screenshot $1x$2, $3 colours"
	fi
}
check deadlock "$examples/lock_order" 3 \
	'T1 at the end: blocked in pthread_mutex_lock(mutex#2 (bob))' \
	'<span class="hit"><i>44</i>[[:space:]]+pthread_mutex_lock\(&amp;to-&gt;lock\);'
check race "$examples/races/hit_counter" 3 'T2 read of 4 bytes of hits' \
	'<span class="hit"><i>15</i>[[:space:]]+hits\+\+;'
check cxx "$examples/cxx_timeout_tie" 2 'T0 at the end: aborted after pthread_join(T1) | step 16 · T0 · pthread_join T1' \
	'<span class="hit"><i>65</i>[[:space:]]+assert\(in_time &amp;&amp; answer == 42\);</span>'
# A long trace: 500 steps of two threads yielding to each other with no
# progress (a livelock once WEFT_IDLE_STEPS such steps come in a row).
export WEFT_IDLE_STEPS=500
check long "$cases/bug_livelock" 3 'step 504 · T1 · sched_yield' \
	'<span class="hit"><i>20</i>[[:space:]]+sched_yield\(\);</span>'
unset WEFT_IDLE_STEPS
has race "$tmp/race.dom" 'data-arrows="1"'
has deadlock "$tmp/deadlock.dom" 'data-arrows="3"'
[ "$failures" -eq 0 ] && echo "html: all checks passed"
[ "$failures" -eq 0 ]
