#!/bin/bash
# run.sh - build the hand-written runtime examples for the target kernel and
# run them all in ONE guest boot with our staprun/stapio; check outputs, the
# kernel log and that no module is left loaded.  Prints "N passed, N failed".
#
#   testsuite/runtime-examples/run.sh [--keep DIR] [--no-build] [--smp N] [--debugfs-off]
#
# --smp N (default 2): guest CPUs.  --debugfs-off: boot with debugfs=off, so
# the transport falls back to /proc/systemtap/MODULE.
#
# Environment: KREL (default 6.1.0-56-amd64), VMRUN (default
# /work/shared/tools/vm-run).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
KREL=${KREL:-6.1.0-56-amd64}
VMRUN=${VMRUN:-/work/shared/tools/vm-run}
KEEP=
BUILD=1
SMP=2
APPEND=
OUTSUFFIX=
while [ $# -gt 0 ]; do
	case "$1" in
	--keep) KEEP=$2; shift 2 ;;
	--no-build) BUILD=0; shift ;;
	--smp) SMP=$2; shift 2 ;;
	--debugfs-off) APPEND="debugfs=off"; shift ;;
	*) echo "usage: $0 [--keep DIR] [--no-build] [--smp N] [--debugfs-off]" >&2; exit 2 ;;
	esac
done

OUT=$(mktemp -d /tmp/rtex.XXXXXX)
[ -n "$KEEP" ] && { mkdir -p "$KEEP"; OUT=$KEEP; }
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit; }

# ---- build ----------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
	make -C "$ROOT" build/staprun build/stapio >"$OUT/make-tools.log" 2>&1 ||
		{ cat "$OUT/make-tools.log"; bad build "staprun/stapio do not build"; finish; }
	# build in a copy: the checkout is shared and Kbuild litters
	rm -rf "$OUT/mods"
	mkdir -p "$OUT/mods"
	cp "$HERE"/*.c "$HERE"/Kbuild "$OUT/mods/"
	sed -i "s|^ccflags-y := .*|ccflags-y := -I$ROOT/runtime|" "$OUT/mods/Kbuild"
	if ! make -j"$(nproc)" -C "/lib/modules/$KREL/build" M="$OUT/mods" modules \
		>"$OUT/make-modules.log" 2>&1; then
		tail -30 "$OUT/make-modules.log"
		bad build "modules do not build"
		finish
	fi
	if grep -E 'warning:|error:' "$OUT/make-modules.log"; then
		bad build "compiler warnings"
	else
		ok "build (warning-free)"
	fi
fi
STAPRUN=$ROOT/build/staprun
[ -x "$STAPRUN" ] && [ -x "$ROOT/build/stapio" ] || { bad build "no build/staprun or build/stapio"; finish; }

# ---- one guest boot ------------------------------------------------------------
files=()
for k in "$OUT"/mods/*.ko; do [ -f "$k" ] && files+=(--file "$k"); done
[ ${#files[@]} -gt 0 ] || { bad build "no modules in $OUT/mods (--no-build needs --keep DIR of a build)"; finish; }
t0=$(date +%s)
"$VMRUN" --timeout 300 --mem 512 --smp "$SMP" --append "loglevel=7 $APPEND" \
	--bin "$STAPRUN" --bin "$ROOT/build/stapio" \
	"${files[@]}" --file "$HERE/guest.sh" --console "$OUT/console.log" \
	--cmd "STAPRUN=$STAPRUN sh /work/guest.sh" >"$OUT/guest.out" 2>"$OUT/guest.err"
vmrc=$?
echo "guest: exit $vmrc after $(($(date +%s) - t0)) s (results in $OUT)"
grep -q '^@@END' "$OUT/guest.out" || { tail -20 "$OUT/guest.err"; bad guest "did not finish (vm-run $vmrc)"; }

# split into NAME.out / NAME.err / NAME.rc
awk -v d="$OUT" '
	/^@@TEST / { name = $2; sub("rc=", "", $3); print $3 > (d "/" name ".rc"); f = d "/" name ".out"; printf "" > f; next }
	/^@@STDERR$/ { f = d "/" name ".err"; printf "" > f; next }
	/^@@END$/ || /^@@HELLO_TIME/ { f = ""; next }
	f != "" { print > f }
' "$OUT/guest.out"

# ---- checks ---------------------------------------------------------------------
rc_of() { cat "$OUT/$1.rc" 2>/dev/null || echo missing; }

# expect NAME RC STDOUT STDERR: exact comparison
expect() {
	local name=$1 rc=$2 out=$3 err=$4 why=
	[ "$(rc_of "$name")" = "$rc" ] || why="exit $(rc_of "$name"), want $rc"
	[ "$(cat "$OUT/$name.out" 2>/dev/null)" = "$out" ] || why="$why; stdout differs"
	[ "$(cat "$OUT/$name.err" 2>/dev/null)" = "$err" ] || why="$why; stderr differs"
	if [ -z "$why" ]; then
		ok "$name"
	else
		bad "$name" "$why"
		echo "  --- stdout:"; sed 's/^/  | /' "$OUT/$name.out" 2>/dev/null
		echo "  --- stderr:"; sed 's/^/  | /' "$OUT/$name.err" 2>/dev/null
	fi
}

# expect_re NAME RC STDOUT-REGEX STDERR-REGEX (grep -E over the text, newlines as ~)
expect_re() {
	local name=$1 rc=$2 out=$3 err=$4 why=
	[ "$(rc_of "$name")" = "$rc" ] || why="exit $(rc_of "$name"), want $rc"
	echo "$(tr '\n' '~' < "$OUT/$name.out")" | grep -Eq "$out" || why="$why; stdout does not match"
	echo "$(tr '\n' '~' < "$OUT/$name.err")" | grep -Eq "$err" || why="$why; stderr does not match"
	if [ -z "$why" ]; then
		ok "$name"
	else
		bad "$name" "$why"
		echo "  --- stdout:"; sed 's/^/  | /' "$OUT/$name.out" 2>/dev/null
		echo "  --- stderr:"; sed 's/^/  | /' "$OUT/$name.err" 2>/dev/null
	fi
}
NL=$'\n'

expect hello 0 "hello world" ""
expect begin_prio 0 "first${NL}second${NL}third${NL}after exit${NL}end a${NL}end b" ""
expect timer_end 0 "n=20 m>0=1" ""
expect divzero 1 "error probe" \
	"ERROR: division by 0 near operator '/' at <input>:1:46${NL}WARNING: Number of errors: 1, skipped probes: 0"
expect maxaction 1 "" \
	"ERROR: MAXACTION exceeded near identifier 'x' at <input>:1:25${NL}WARNING: Number of errors: 1, skipped probes: 0"
expect trycatch 1 "caught: MAXNESTING exceeded${NL}caught division" \
	"ERROR: MAXNESTING exceeded near identifier 'f' at <input>:1:10${NL}WARNING: Number of errors: 1, skipped probes: 0"
expect timer_error 1 "error n=3" \
	"ERROR: division by 0 near operator '/' at <input>:1:73${NL}WARNING: Number of errors: 1, skipped probes: 0"
expect kprobe_count 0 "a${NL}b${NL}c${NL}writes>0=1 mine=3 target>0=1" ""
expect_re kretprobe 0 "^count=7~ret=7~$" "records in"
expect kprobe_missing 1 "modules: 0" \
	"ERROR: probe kprobe.function(\"no_such_function_xyz\") at <input>:2:7 registration error (rc -2)"
expect kprobe_optional 0 "begin ran" \
	"WARNING: probe kprobe.function(\"no_such_function_xyz\")? at <input>:1:7 registration error (rc -2), skipped"
# with several CPUs (and vCPUs preempted by the host) a handler may time out on
# a global's lock: allowed, as long as it is counted and reported
SKIPS_OK="(WARNING: Skipped due to global '[a-z]+' lock timeout: [0-9]+~WARNING: Number of errors: 0, skipped probes: [0-9]+~)?"
expect_re profile 0 "^profile>0=1 regs=1~$" "^$SKIPS_OK$"
expect global_param 0 "n=42 s=hello" ""
expect global_default 0 "n=3 s=default" ""
expect global_bad 1 "" "ERROR: module has no global variable named 'nosuch' that can be set"
expect procfs 0 "ready${NL}-rw------- foo${NL}-r--r--r-- ro${NL}init${NL}hello${NL}0123456789abcdef${NL}end v=hello" ""
if [ -n "$APPEND" ]; then tdir=/proc/systemtap/sigint; else tdir=/sys/kernel/debug/systemtap/sigint; fi
expect transport 0 "start${NL}$tdir${NL}end ran, ticks>0=1" ""
expect sigint 0 "start${NL}end ran, ticks>0=1" ""
expect sigterm_stapio 0 "start${NL}end ran, ticks>0=1" ""
expect sighup 0 "start${NL}end ran, ticks>0=1" ""
expect timeout_T 0 "start${NL}end ran, ticks>0=1" ""
expect child_status 1 "start${NL}end ran, ticks>0=1" "WARNING: Child process exited with status 3"
expect child_killed 0 "hello world" ""
expect_re eexist 0 "^rc=1~d_rc=0~0~$" \
	"a module named 'hello' is already loaded \\(remove it with 'staprun -d hello'\\)"

# print storm: zero loss, no gap, every line through
storm=$(cat "$OUT/storm.out" 2>/dev/null)
if [ "$(rc_of storm)" = 0 ] && [ ! -s "$OUT/storm.err" ] &&
	echo "$storm" | grep -Eq '^lines=([0-9]+) last=\1 gaps=0 ' &&
	! echo "$storm" | grep -q '^lines=0 '; then
	ok "storm ($(echo "$storm" | tr '\n' ' '))"
else
	bad storm "rc $(rc_of storm): $(echo "$storm" | tr '\n' ' ') $(cat "$OUT/storm.err" 2>/dev/null)"
fi
# past saturation: loss is allowed only when it is reported
storm=$(cat "$OUT/storm_max.out" 2>/dev/null)
if [ "$(rc_of storm_max)" = 0 ] && echo "$storm" | grep -Eq '^lines=([0-9]+) last=[0-9]+ gaps=' &&
	{ echo "$storm" | grep -Eq '^lines=([0-9]+) last=\1 gaps=0 ' ||
	  grep -q '^WARNING: Lost [0-9]* output records' "$OUT/storm_max.err"; }; then
	ok "storm_max ($(echo "$storm" | tr '\n' ' ')$(sed -n 's/^WARNING: //p' "$OUT/storm_max.err"))"
else
	bad storm_max "rc $(rc_of storm_max): $(echo "$storm" | tr '\n' ' ') $(cat "$OUT/storm_max.err" 2>/dev/null)"
fi

expect end_error 1 "e1${NL}err" \
	"ERROR: division by 0 near operator '/' at <input>:1:67${NL}WARNING: Number of errors: 1, skipped probes: 0"
expect_re target_x 0 "mine=0 target>0=1~$" "^$"
expect stapio_killed 1 "start${NL}modules: 0" "ERROR: stapio was killed by signal 9"
ncpu_want=$SMP
expect_re smp_order 0 "^lines=([0-9]+) last=\\1 disorder=0 cpus=$ncpu_want~$" "^$SKIPS_OK$"
expect_re skip_lowstack 1 "^error probe, n=0~$" \
	"^ERROR: Skipped too many probes, check MAXSKIPPED or try again with stap -t for more details.~WARNING: Skipped due to low stack: [6-9]~WARNING: Number of errors: 0, skipped probes: [6-9]~$"
expect leftover 0 "" ""
expect dmesg 0 "" ""
if grep -aE 'BUG:|Oops|WARNING:|general protection|soft lockup|RCU stall|stall on CPU' "$OUT/console.log"; then
	bad console "kernel log has errors"
else
	ok "console log clean"
fi

# host-side: not root
if command -v setpriv >/dev/null; then
	m=$(ls "$OUT"/mods/hello.ko 2>/dev/null)
	msg=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$STAPRUN" "${m:-hello.ko}" 2>&1)
	if [ $? = 1 ] && echo "$msg" | grep -q "must be run as root"; then ok "not root"; else bad "not root" "$msg"; fi
fi
echo "hello session in guest: $(sed -n 's/^@@HELLO_TIME //p' "$OUT/guest.out"); module size: $(stat -c %s "$OUT/mods/hello.ko" 2>/dev/null) bytes"
finish
