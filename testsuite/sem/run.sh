#!/bin/bash
# Semantic (pass 2) tests.  See README.md.
#   ok/NAME.stp   must pass `stap -p2`; stdout must equal ok/NAME.p2 and
#                 stderr ok/NAME.err (or be empty when there is none).
#   ko/NAME.stp   must fail with exit status 1 and exactly the stderr in
#                 ko/NAME.err.
#   list/NAME.args  one line of stap options (-l/-L/--dump-*); stdout must
#                 equal list/NAME.out; the status is 0, or 1 when .out is empty.
# A script's first line "# args: ..." gives extra stap options, and after
# "--" script arguments.  Leading
# NAME=VALUE words of the options are environment variables for stap (e.g.
# SYSTEMTAP_TAPSET=tapset: only the test library).  Lines "Pass N: ..." of
# -v are left out of the comparisons (they carry timings).  Scripts run
# from their directory, so -I ../tapset names the test library.
# Prints PASS/FAIL lines and "N passed, N failed".  An argument filters
# the tests by name.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
STAP=${STAP:-$REPO/build/stap}
case $STAP in /*) ;; */*) STAP=$PWD/$STAP ;; esac # tests run in their directory
# the translator never frees (arena): LeakSanitizer would report everything
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
REL=${STAP_TEST_RELEASE:-6.1.0-56-amd64}
filter=${1:-}
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run DIR OPTIONS-LINE [more args...]: stap in DIR; $tmp/out, $tmp/err,
# status.  What follows "--" in the line are script arguments (they go last).
run() {
	local dir=$1 line=$2
	shift 2
	local -a env=() opts=() sargs=()
	local more=("$@")
	eval "set -- $line"
	while [ $# -gt 0 ] && [[ "$1" =~ ^[A-Z_]+= ]]; do
		local v=${1#*=}
		[ "${1%%=*}" = SYSTEMTAP_TAPSET ] && v=$HERE/$v
		env+=("${1%%=*}=$v")
		shift
	done
	while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	sargs=("$@")
	opts+=("${more[@]}" "${sargs[@]}")
	(cd "$dir" && env "${env[@]}" "$STAP" -r "$REL" "${opts[@]}") >"$tmp/out" 2>"$tmp/err.raw"
	local rc=$?
	grep -v -E '^Pass [1-5]: ' "$tmp/err.raw" >"$tmp/err"
	return $rc
}

args_of() {
	local first
	first=$(head -n1 "$1")
	case "$first" in "# args: "*) echo "${first#\# args: }" ;; esac
}

result() { # status name [detail file]
	if [ "$1" = 0 ]; then
		pass=$((pass + 1)); echo "PASS sem/$2"
	else
		fail=$((fail + 1)); echo "FAIL sem/$2"
		[ -n "${3:-}" ] && sed 's/^/    /' "$3" | head -40
	fi
}

# same EXPECTED ACTUAL: equal files (a missing EXPECTED means empty)
same() {
	if [ -f "$1" ]; then
		diff -u "$1" "$2" >"$tmp/why"
	else
		diff -u /dev/null "$2" >"$tmp/why"
	fi
}

for f in "$HERE"/ok/*.stp; do
	[ -e "$f" ] || continue
	n=$(basename "$f" .stp)
	[ -n "$filter" ] && [[ "$n" != *$filter* ]] && continue
	if ! run "$HERE/ok" "$(args_of "$f")" -p2 "$n.stp"; then
		cp "$tmp/err" "$tmp/why"; result 1 "ok/$n" "$tmp/why"; continue
	fi
	if [ ! -f "$HERE/ok/$n.p2" ]; then
		echo "no expected output ok/$n.p2" >"$tmp/why"; result 1 "ok/$n" "$tmp/why"; continue
	fi
	if ! same "$HERE/ok/$n.p2" "$tmp/out" || ! same "$HERE/ok/$n.err" "$tmp/err"; then
		result 1 "ok/$n" "$tmp/why"; continue
	fi
	result 0 "ok/$n"
done

for f in "$HERE"/ko/*.stp; do
	[ -e "$f" ] || continue
	n=$(basename "$f" .stp)
	[ -n "$filter" ] && [[ "$n" != *$filter* ]] && continue
	run "$HERE/ko" "$(args_of "$f")" -p2 "$n.stp"; rc=$?
	if [ "$rc" != 1 ]; then
		{ echo "exit status $rc, expected 1"; cat "$tmp/err"; } >"$tmp/why"; result 1 "ko/$n" "$tmp/why"; continue
	fi
	if ! same "$HERE/ko/$n.err" "$tmp/err"; then
		result 1 "ko/$n" "$tmp/why"; continue
	fi
	result 0 "ko/$n"
done

for f in "$HERE"/list/*.args; do
	[ -e "$f" ] || continue
	n=$(basename "$f" .args)
	[ -n "$filter" ] && [[ "$n" != *$filter* ]] && continue
	run "$HERE" "$(head -n1 "$f")"; rc=$?
	want=0
	[ -s "$HERE/list/$n.out" ] || want=1
	if [ "$rc" != "$want" ]; then
		{ echo "exit status $rc, expected $want"; cat "$tmp/err"; } >"$tmp/why"; result 1 "list/$n" "$tmp/why"; continue
	fi
	if ! same "$HERE/list/$n.out" "$tmp/out"; then
		result 1 "list/$n" "$tmp/why"; continue
	fi
	result 0 "list/$n"
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
