#!/bin/bash
# Parse tests.
#   ok/NAME.stp  must pass `stap -p1`; its stdout must equal ok/NAME.p1
#                (recorded from SystemTap 4.8: see README.md), and the
#                dump must parse again (round trip).
#   ko/NAME.stp  must fail with exit status 1 and exactly the stderr in
#                ko/NAME.err (message, location, source line, caret).
# A first line "# args: ..." gives extra stap options (after them, "--"
# and script arguments may follow).  A line "# no round trip: WHY" in an
# ok test skips the round trip (SystemTap's dump of it does not parse).
#   ../fuzz/regressions/*  inputs the fuzzer once crashed or hung on: each
#                must end (exit status 0 or 1, no signal) within 20 s,
#                and a dump it prints must parse again.
# Prints PASS/FAIL lines and "N passed, N failed".
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
STAP=${STAP:-$REPO/build/stap}
REL=${STAP_TEST_RELEASE:-6.1.0-56-amd64}
filter=${1:-}
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

args_of() {
	local first
	first=$(head -n1 "$1")
	case "$first" in "# args: "*) echo "${first#\# args: }" ;; esac
}

run_stap() { # file args... -> $tmp/out $tmp/err, returns status
	local f=$1; shift
	local -a opts=() script_args=()
	local seen_dd=0 a
	for a in "$@"; do
		if [ "$seen_dd" = 1 ]; then script_args+=("$a");
		elif [ "$a" = "--" ]; then seen_dd=1;
		else opts+=("$a"); fi
	done
	(cd "$(dirname "$f")" && "$STAP" -r "$REL" -p1 "${opts[@]}" "$(basename "$f")" "${script_args[@]}") \
		>"$tmp/out" 2>"$tmp/err"
}

result() { # status name [detail file]
	if [ "$1" = 0 ]; then
		pass=$((pass + 1)); echo "PASS parse/$2"
	else
		fail=$((fail + 1)); echo "FAIL parse/$2"
		[ -n "${3:-}" ] && sed 's/^/    /' "$3" | head -40
	fi
}

for f in "$HERE"/ok/*.stp; do
	[ -e "$f" ] || continue
	n=$(basename "$f" .stp)
	[ -n "$filter" ] && [[ "$n" != *$filter* ]] && continue
	# shellcheck disable=SC2046
	eval "set -- $(args_of "$f")"
	if ! run_stap "$f" "$@"; then
		cat "$tmp/err" > "$tmp/why"; result 1 "ok/$n" "$tmp/why"; continue
	fi
	if [ ! -f "$HERE/ok/$n.p1" ]; then
		echo "no expected output ok/$n.p1" > "$tmp/why"; result 1 "ok/$n" "$tmp/why"; continue
	fi
	if ! diff -u "$HERE/ok/$n.p1" "$tmp/out" > "$tmp/why"; then
		result 1 "ok/$n" "$tmp/why"; continue
	fi
	if grep -q '^# no round trip' "$f"; then
		result 0 "ok/$n"; continue
	fi
	# round trip: the dump (without its header lines) parses again
	grep -v -e '^# parse tree dump$' -e '^# file ' "$tmp/out" > "$tmp/rt.stp"
	opts=()
	for a in "$@"; do [ "$a" = "--" ] && break; opts+=("$a"); done
	if ! "$STAP" -r "$REL" -p1 "${opts[@]}" "$tmp/rt.stp" > "$tmp/rt.out" 2> "$tmp/why"; then
		echo "round trip failed:" >> "$tmp/why"; result 1 "ok/$n(round-trip)" "$tmp/why"; continue
	fi
	result 0 "ok/$n"
done

for f in "$HERE"/ko/*.stp; do
	[ -e "$f" ] || continue
	n=$(basename "$f" .stp)
	[ -n "$filter" ] && [[ "$n" != *$filter* ]] && continue
	eval "set -- $(args_of "$f")"
	run_stap "$f" "$@"; rc=$?
	if [ "$rc" != 1 ]; then
		{ echo "exit status $rc, expected 1"; cat "$tmp/err"; } > "$tmp/why"; result 1 "ko/$n" "$tmp/why"; continue
	fi
	if ! diff -u "$HERE/ko/$n.err" "$tmp/err" > "$tmp/why"; then
		result 1 "ko/$n" "$tmp/why"; continue
	fi
	result 0 "ko/$n"
done
# fuzz regressions: run as the fuzz target does (guru mode, three script
# arguments)
for f in "$HERE"/../fuzz/regressions/*; do
	[ -f "$f" ] || continue
	n=$(basename "$f")
	[ -n "$filter" ] && [[ "$n" != *$filter* ]] && continue
	timeout 20 "$STAP" -r "$REL" -p1 -g "$f" 42 'foo bar' '(1 + $2' >"$tmp/out" 2>"$tmp/err"; rc=$?
	if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
		{ echo "exit status $rc"; tail -5 "$tmp/err"; } > "$tmp/why"; result 1 "fuzz/$n" "$tmp/why"; continue
	fi
	if [ "$rc" = 0 ]; then
		grep -v -e '^# parse tree dump$' -e '^# file ' "$tmp/out" > "$tmp/rt.stp"
		if ! timeout 20 "$STAP" -r "$REL" -p1 -g "$tmp/rt.stp" > "$tmp/rt.out" 2> "$tmp/why"; then
			echo "round trip failed:" >> "$tmp/why"; result 1 "fuzz/$n(round-trip)" "$tmp/why"; continue
		fi
	fi
	result 0 "fuzz/$n"
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
