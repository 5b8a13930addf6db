#!/bin/bash
# Documentation tests: the tapset reference pages (doc/tapset-man.c makes
# them from the tapset's doc comments) and the hand-written pages in doc/.
#
#   generator   fixture/tapset/demo.stp: `tapset-man -c` reports exactly
#               fixture/problems, writes the pages named in fixture/page-names,
#               those in fixture/pages/ byte for byte (a golden test of the
#               checks and the format)
#   comments    per tapset file and check (documented, summary, name,
#               params; see doc/tapset-man.c): no problem.  The syscall
#               families (syscall.*, nd_syscall.* of the generated
#               syscalls.stp) have no comment per alias: as in SystemTap,
#               tapset::syscalls(3stap) lists them with their values, which
#               is checked instead
#   dump        every function `stap --dump-functions` lists (but _NAME) has
#               its page, with the signature as stap prints it in SYNOPSIS
#   aliases     every probe alias `stap --dump-probe-aliases` lists (but
#               _NAME and the syscall families) has its page
#   render      every generated page and doc/*.[18]: `groff -man -ww` warns
#               about nothing; `man -l` shows function::execname
#   stap.1      names the tapset pages under SEE ALSO
#
# Prints PASS/FAIL lines and "N passed, N failed".
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BUILD=${STAP_BUILD_DIR:-$REPO/build}
STAP=${STAP:-$BUILD/stap}
GEN=$BUILD/tapset-man
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

result() { # status name [detail file]
	if [ "$1" = 0 ]; then
		echo "PASS $2"
		pass=$((pass + 1))
	else
		echo "FAIL $2"
		[ -n "${3:-}" ] && [ -s "$3" ] && sed 's/^/    /' "$3" | head -n 40
		fail=$((fail + 1))
	fi
}

# aliases documented together on tapset::syscalls(3stap), not one by one
collective='^(nd_)?syscall\.'

if [ ! -x "$GEN" ]; then
	echo "FAIL generator: $GEN is not built (make)"
	echo "0 passed, 1 failed"
	exit 1
fi

# --- the generator on its fixture
(cd "$HERE/fixture" && "$GEN" -c -V test -o "$tmp/fixture" tapset) >"$tmp/problems" 2>&1
diff -u "$HERE/fixture/problems" "$tmp/problems" >"$tmp/diff"
result $? "generator: the problems of fixture/tapset/demo.stp" "$tmp/diff"
(cd "$tmp/fixture" && ls) >"$tmp/names"
diff -u "$HERE/fixture/page-names" "$tmp/names" >"$tmp/diff"
result $? "generator: the pages of fixture/tapset/demo.stp" "$tmp/diff"
for p in "$HERE"/fixture/pages/*.3stap; do
	n=$(basename "$p")
	diff -u "$p" "$tmp/fixture/$n" >"$tmp/diff" 2>&1
	result $? "generator: fixture page $n" "$tmp/diff"
done

# --- the tapset's doc comments
man=$tmp/man
(cd "$REPO" && "$GEN" -c -V test -o "$man" tapset) >"$tmp/all" 2>&1
case $? in 0|1) ;; *) result 1 "tapset-man ran on tapset/" "$tmp/all" ;; esac
grep -vE '^[^:]+:[0-9]+: (documented|summary|name|params): ' "$tmp/all" >"$tmp/odd"
[ -s "$tmp/odd" ] && result 1 "tapset-man prints only problems" "$tmp/odd"
(cd "$REPO" && find tapset -name '*.stp' | LC_ALL=C sort) >"$tmp/files"
while read -r f; do
	for check in documented summary name params; do
		awk -v f="$f:" 'index($0, f) == 1' "$tmp/all" | grep -E "^[^:]+:[0-9]+: $check: " >"$tmp/found"
		note=
		if [ "$check" = documented ] && [ -s "$tmp/found" ]; then
			# the syscall families: on the overview page instead
			grep -E ": probe ${collective#^}" "$tmp/found" >"$tmp/coll"
			grep -vE ": probe ${collective#^}" "$tmp/found" >"$tmp/rest"
			page="$man/tapset::$(basename "$f" .stp).3stap"
			while read -r line; do
				a=$(sed -E 's/.*: probe ([^ ]+).*/\1/' <<<"$line")
				grep -qE "^\.B ([^ ]+, )*${a//./\\.}(,|$)" "$page" 2>/dev/null ||
					echo "$line (and not on $(basename "$page"))"
			done <"$tmp/coll" >>"$tmp/rest"
			[ -s "$tmp/coll" ] && note=" ($(wc -l <"$tmp/coll") syscall alias statements listed on tapset::$(basename "$f" .stp) instead)"
			mv "$tmp/rest" "$tmp/found"
		fi
		[ ! -s "$tmp/found" ]
		result $? "$check: $f$note" "$tmp/found"
	done
done <"$tmp/files"

# --- the functions and probe aliases stap knows
if "$STAP" --dump-functions >"$tmp/funcs" 2>"$tmp/err"; then
	: >"$tmp/bad"
	while IFS= read -r line; do
		sig=${line%% /\**}
		name=${sig%%:*}
		case $name in _*) continue ;; esac
		page="$man/function::$name.3stap"
		if [ ! -f "$page" ]; then
			echo "$sig: no page" >>"$tmp/bad"
		elif ! sed -n '/^\.SH SYNOPSIS/,/^\.fi/p' "$page" |
			sed -E 's/^[0-9]+\) //' | grep -qxF -- "$sig"; then
			echo "$sig: not in the SYNOPSIS of $(basename "$page")" >>"$tmp/bad"
		fi
	done <"$tmp/funcs"
	[ ! -s "$tmp/bad" ]
	result $? "dump: $(grep -vc '^_' "$tmp/funcs") functions of stap --dump-functions on their pages" "$tmp/bad"
else
	result 1 "dump: stap --dump-functions" "$tmp/err"
fi
if "$STAP" --dump-probe-aliases >"$tmp/aliases" 2>"$tmp/err"; then
	sed -E 's/ \+?= .*//' "$tmp/aliases" | grep -v '^_' | grep -vE "$collective" |
		LC_ALL=C sort -u >"$tmp/names"
	while read -r a; do
		[ -f "$man/probe::$a.3stap" ] || echo "$a: no page"
	done <"$tmp/names" >"$tmp/bad"
	[ ! -s "$tmp/bad" ]
	result $? "aliases: $(wc -l <"$tmp/names") probe aliases of stap --dump-probe-aliases on their pages" "$tmp/bad"
else
	result 1 "aliases: stap --dump-probe-aliases" "$tmp/err"
fi

# --- every page renders without a warning
if ! command -v groff >/dev/null; then
	echo "FAIL render: groff is missing (apt-get install groff-base)"
	fail=$((fail + 1))
else
	for p in "$man"/*.3stap "$REPO"/doc/*.[18]; do
		[ -f "$p" ] || continue
		groff -man -Tutf8 -ww -z "$p" >"$tmp/warn" 2>&1
		[ ! -s "$tmp/warn" ]
		case $p in "$man"/*) n=$(basename "$p") ;; *) n=${p#"$REPO"/} ;; esac
		result $? "render: $n" "$tmp/warn"
	done
	if command -v man >/dev/null; then
		MANWIDTH=80 man -l "$man/function::execname.3stap" >"$tmp/out" 2>&1 </dev/null
		grep -q 'function::execname \(-\|‐\) ' "$tmp/out"
		result $? "render: man -l function::execname.3stap" "$tmp/out"
	fi
fi

# --- stap.1 points at the tapset pages
sed -n '/^\.SH SEE ALSO/,$p' "$REPO/doc/stap.1" | grep -q 'tapset::'
result $? "stap.1: SEE ALSO names the tapset pages"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
