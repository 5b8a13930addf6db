#!/bin/bash
# Unit tests of the data runtime (runtime/{map,stat,format,str}) in user
# space, against outputs recorded from SystemTap 4.8 (ref/*.out, made by
# ref/collect.sh in the reference VM), plus a Kbuild compile test of the same
# files as kernel code (kmod/, when the kernel headers are installed).
#
#   testsuite/unit-runtime/run.sh [-v]      prints "N passed, N failed"
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=${UNIT_RUNTIME_BUILD:-$here/build}
verbose=0
[ "${1:-}" = -v ] && verbose=1
mkdir -p "$out"
pass=0 fail=0 skip=0
CC=${CC:-gcc}
CFLAGS="-std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter -Wno-format
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
export ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1

ok()   { pass=$((pass + 1)); [ $verbose = 1 ] && echo "PASS $*"; return 0; }
bad()  { fail=$((fail + 1)); echo "FAIL $*"; }

# build every driver
for src in "$here"/test_*.c; do
	t=$(basename "$src" .c)
	# shellcheck disable=SC2086
	if ! $CC $CFLAGS -o "$out/$t" "$src" 2> "$out/$t.build.log"; then
		bad "$t (build)"; cat "$out/$t.build.log"
	fi
done

# driver  mode  fixture (ref/NAME.out, or =TEXT)  [sed filter of the fixture]
cases=(
	"test_stats - stats_arith"
	"test_stats scalar stats_scalar"
	"test_format - printf_int"
	"test_format str printf_str"
	"test_format more printf_more"
	"test_format tail printf_tail 17,18d"
	"test_format grid printf_grid"
	"test_format grid2 printf_grid2"
	"test_hist - hist_log"
	"test_hist linear hist_linear"
	"test_hist log2 hist_log2"
	"test_hist grid hist_grid"
	"test_map - maps_order"
	"test_map order2 maps_order2 /==_p4/,\$d"
	"test_str - strings"
	"test_str 2 strings2"
	"test_map grid maps_grid"
	"test_regex - regex"
	"test_regex grid regex_grid /^16_/d"
	"test_map stress =stress:_ok"
)
for c in "${cases[@]}"; do
	read -r t mode fix filter <<< "$c"
	[ -x "$out/$t" ] || { bad "$t $mode: not built"; continue; }
	args=()
	[ "$mode" != - ] && args=("$mode")
	want="$here/ref/$fix.out"
	what="ref/$fix.out"
	if [ "${fix#=}" != "$fix" ]; then	# =TEXT: a self-checking driver's one line
		fix=${fix#=}
		echo "${fix//_/ }" > "$out/$t.$mode.want"
		want="$out/$t.$mode.want"
		what="\"${fix//_/ }\""
	elif [ -n "${filter:-}" ]; then
		sed "${filter//_/ }" "$want" > "$out/$fix.want"
		want="$out/$fix.want"
	fi
	if "$out/$t" "${args[@]}" > "$out/$t.$mode.out" 2> "$out/$t.$mode.err" &&
	   cmp -s "$out/$t.$mode.out" "$want"; then
		ok "$t $mode = $what"
	else
		bad "$t $mode = $what"
		diff <(cat -A "$out/$t.$mode.out") <(cat -A "$want") | head -20
		head -20 "$out/$t.$mode.err"
	fi
	filter=
done

# the same files as kernel code, built with Kbuild, no warnings allowed
kdir=${KDIR:-/lib/modules/6.1.0-56-amd64/build}
if [ -d "$kdir" ]; then
	rm -rf "$out/kmod"
	cp -r "$here/kmod" "$out/kmod"
	if make -C "$kdir" M="$out/kmod" RUNTIME="$(cd "$here/../../runtime" && pwd)" modules \
		> "$out/kmod.log" 2>&1 && ! grep -q 'warning:' "$out/kmod.log"; then
		ok "kmod: Kbuild compile, warning-free"
	else
		bad "kmod: Kbuild compile"; grep -E 'warning|error' "$out/kmod.log" | head -20
	fi
else
	skip=$((skip + 1)); echo "SKIP kmod: no kernel headers at $kdir"
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
