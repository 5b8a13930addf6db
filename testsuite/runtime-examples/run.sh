#!/bin/bash
# run.sh - build the hand-written runtime examples for the target kernel and
# run them all in ONE guest boot with our staprun/stapio; check outputs, the
# kernel log and that no module is left loaded.  Prints "N passed, N failed".
#
#   testsuite/runtime-examples/run.sh [--keep DIR] [--no-build] [--smp N] [--debugfs-off]
#
# --keep DIR: work and results there (default: a new /tmp/rtex.XXXXXX, kept
# too).  --no-build: reuse DIR/mods of an earlier --keep DIR run.  --smp N
# (default 2): guest CPUs.  --debugfs-off: boot with debugfs=off, so the
# transport falls back to /proc/systemtap/MODULE.
#
# The guest is testsuite/vm/vmlib.sh's (installs what a clean Debian 12
# lacks): each test of guest.sh is one job there, so besides its output and
# status every test is also judged on a module left loaded, new kernel taint,
# a time limit and its slice of the kernel log; a crashed guest fails the
# test it was running and is rebooted for the rest.
#
# Environment: KREL (default 6.1.0-56-amd64), VM_* and STAP_VM_CACHE (see
# testsuite/vm/vmlib.sh), RTEX_TIMEOUT (per test, default 240 s:
# the print storms need ~1 min on a busy 2-CPU host).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
KREL=${KREL:-6.1.0-56-amd64}
user_kernel=${VM_KERNEL:-}
VM_PROG=run.sh
# shellcheck source=../vm/vmlib.sh
. "$ROOT/testsuite/vm/vmlib.sh"
if [ "$KREL" != "$VM_KREL" ]; then VM_KREL=$KREL; VM_KERNEL=${user_kernel:-/boot/vmlinuz-$KREL}; fi
TIMEOUT=${RTEX_TIMEOUT:-240}
MAXOUT=65536
KEEP=
BUILD=1
APPEND=
while [ $# -gt 0 ]; do
	case "$1" in
	--keep) KEEP=${2:?--keep needs a directory}; shift 2 ;;
	--no-build) BUILD=0; shift ;;
	--smp) VM_SMP=${2:?--smp needs a number}; shift 2 ;;
	--debugfs-off) APPEND="debugfs=off"; shift ;;
	*) echo "usage: $0 [--keep DIR] [--no-build] [--smp N] [--debugfs-off]" >&2; exit 2 ;;
	esac
done
VM_APPEND="${VM_APPEND:+$VM_APPEND }$APPEND"

OUT=$(mktemp -d /tmp/rtex.XXXXXX)
[ -n "$KEEP" ] && { mkdir -p "$KEEP"; rmdir "$OUT"; OUT=$(cd "$KEEP" && pwd); }
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit; }
trap vm_kill EXIT
trap 'exit 130' INT TERM HUP

# QEMU, busybox, the kernel and its headers; a compiler for staprun/stapio
# and the modules
vm_ensure_deps gcc libc6-dev

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
STAPIO=$ROOT/build/stapio
[ -x "$STAPRUN" ] && [ -x "$STAPIO" ] || { bad build "no build/staprun or build/stapio"; finish; }

# ---- the guest: one job per test, one boot (more only after a crash) ------------
KOS=()
for k in "$OUT"/mods/*.ko; do [ -f "$k" ] && KOS+=("$k"); done
[ ${#KOS[@]} -gt 0 ] || { bad build "no modules in $OUT/mods (--no-build needs --keep DIR of a build)"; finish; }
mapfile -t TESTS < <(sh "$HERE/guest.sh" --list)
KLOG_BAD="$VM_BAD_KLOG|stall on CPU"
W=$OUT/vm
rm -rf "$W"
for n in "${TESTS[@]}"; do rm -f "$OUT/$n".{out,err,rc,trouble,klog}; done
: >"$OUT/console.log"
# staprun and stapio go to a fixed directory (a checkout under /tmp would be
# hidden by the guest's tmpfs); STAPIO is not exported: staprun finds stapio
# beside itself
OV=$W/overlay
vm_overlay_init "$OV" "export STAPRUN=/vm/rtex/staprun"
vm_add_bin "$OV" "$STAPRUN" /vm/rtex/staprun && vm_add_bin "$OV" "$STAPIO" /vm/rtex/stapio ||
	{ bad guest "cannot copy staprun/stapio (and libraries) into the guest"; finish; }
mkdir -p "$OV/work"
cp "${KOS[@]}" "$HERE/guest.sh" "$OV/work/"
for n in "${TESTS[@]}"; do
	get=
	[ "$n" = hello ] && get=/tmp/t/hello.time
	vm_job_add "$OV" "$n" "$TIMEOUT" "$MAXOUT" "exec sh /work/guest.sh $n" "" "" "$get"
done
: >"$OV/vm/todo"	# the list goes in per boot
vm_pack "$OV" "$W/overlay.cpio" || { bad guest "cpio failed"; finish; }
BASE=$(vm_base_initramfs)
[ -s "$BASE" ] || { bad guest "no base initramfs"; finish; }

# note NAME TEXT: one more reason for test NAME to fail
note() { printf '%s\n' "$2" >>"$OUT/$1.trouble"; }

# collect NAME RESULTDIR BOOTDIR: the job's results as NAME.out/.err/.rc,
# and what the job runner saw (NAME.trouble, NAME.klog)
collect() {
	local n=$1 r=$2 b=$3 k v
	for k in out err; do
		v=$OUT/$n.$k
		cp "$r/std$k" "$v" 2>/dev/null || : >"$v"
		# the last line ends in a newline too (expect_re counts on it)
		[ -s "$v" ] && [ "$(tail -c1 "$v" | od -An -c | tr -d ' ')" != '\n' ] && echo >>"$v"
	done
	vm_info "$r" status >"$OUT/$n.rc"
	v=$(vm_info "$r" timedout)
	[ -n "$v" ] && note "$n" "timed out after ${v}s (RTEX_TIMEOUT)"
	v=$(vm_info "$r" leftover)
	[ -n "$v" ] && note "$n" "module left loaded: $v"
	v=$(vm_info "$r" taint_new)
	[ -n "$v" ] && [ "$v" != 0 ] && note "$n" "kernel taint newly set: $v (32 bad page, 128 oops, 512 warning, 16384 soft lockup)"
	vm_console_slice "$b/console.log" "$n" | grep -aE "$KLOG_BAD" | head -20 >"$OUT/$n.klog"
	[ -s "$OUT/$n.klog" ] && note "$n" "kernel log has errors during this test"
	while IFS=$'\t' read -r k v; do
		[ "$v" = /tmp/t/hello.time ] && HELLO_TIME=$(grep real "$r/$k")
	done < <(cat "$r/files" 2>/dev/null)
	return 0
}

HELLO_TIME=
t0=$(date +%s)
TODO=("${TESTS[@]}")
boots=0
bootinfo=
while [ ${#TODO[@]} -gt 0 ]; do
	boots=$((boots + 1))
	B=$W/boot$boots
	mkdir -p "$B/ov/vm"
	printf '%s\n' "${TODO[@]}" >"$B/ov/vm/todo"
	vm_pack "$B/ov" "$B/todo.cpio"
	cat "$BASE" "$W/overlay.cpio" "$B/todo.cpio" >"$B/initrd.cpio"
	vm_boot "$B/initrd.cpio" "$B"
	rm -f "$B/initrd.cpio"
	vm_parse_results "$B/results" "$B/out"
	tr -d '\r' <"$B/console.log" >>"$OUT/console.log"
	bootinfo+="${bootinfo:+, }$VM_RESULT (up after $(( ${VM_BOOT_MS:-0} / 1000 )) s)"
	[ "$VM_RESULT" = ok ] || bad guest "boot $boots: $(vm_explain "$B" | head -1)"
	REST=() progress=0
	for n in "${TODO[@]}"; do
		if [ -f "$B/out/$n/done" ]; then
			progress=1
			collect "$n" "$B/out/$n" "$B"
		elif [ "$VM_WHERE" = "BEGIN $n" ] || [ "$VM_WHERE" = "SEND $n" ]; then
			progress=1
			note "$n" "the guest died during this test: $(vm_explain "$B" | head -1)"
			# the first bad lines say what happened, the tail how it ended
			vm_console_slice "$B/console.log" "$n" | grep -av '@@SVM-' >"$B/$n.slice"
			{ grep -aE "$KLOG_BAD" "$B/$n.slice" | head -8; echo ...; tail -6 "$B/$n.slice"; } >"$OUT/$n.klog"
		else
			REST+=("$n")
		fi
	done
	if [ ${#REST[@]} -gt 0 ] && [ "$VM_RESULT" != ok ] && [ "$progress" = 1 ]; then
		echo "guest: $VM_RESULT; rebooting for the ${#REST[@]} test(s) not run yet"
	elif [ ${#REST[@]} -gt 0 ]; then
		# no progress at all, or the guest ran out of its list: a reboot would not help
		for n in "${REST[@]}"; do note "$n" "not run by the guest ($VM_RESULT, last marker ${VM_WHERE:-none})"; done
		REST=()
	fi
	TODO=("${REST[@]+"${REST[@]}"}")
done
echo "guest: $boots boot(s): $bootinfo; $(($(date +%s) - t0)) s in all (results in $OUT)"

# ---- checks ---------------------------------------------------------------------
rc_of() { cat "$OUT/$1.rc" 2>/dev/null || echo missing; }

# verdict NAME WHY [PASS-LABEL [SHOW-OUTPUT]]: WHY plus what the job runner
# found (NAME.trouble); the kernel log lines of a failed test (NAME.klog)
declare -A JUDGED
verdict() {
	local name=$1 why=$2 l
	JUDGED[$name]=1
	while IFS= read -r l; do why="$why; $l"; done < <(cat "$OUT/$name.trouble" 2>/dev/null)
	why=${why#; }
	if [ -z "$why" ]; then
		ok "${3:-$name}"
		return
	fi
	bad "$name" "$why"
	if [ "${4:-1}" = 1 ]; then
		echo "  --- stdout:"; sed 's/^/  | /' "$OUT/$name.out" 2>/dev/null
		echo "  --- stderr:"; sed 's/^/  | /' "$OUT/$name.err" 2>/dev/null
	fi
	if [ -s "$OUT/$name.klog" ]; then
		echo "  --- kernel log:"; sed 's/^/  | /' "$OUT/$name.klog"
	fi
}

# expect NAME RC STDOUT STDERR: exact comparison
expect() {
	local name=$1 rc=$2 out=$3 err=$4 why=
	[ "$(rc_of "$name")" = "$rc" ] || why="exit $(rc_of "$name"), want $rc"
	[ "$(cat "$OUT/$name.out" 2>/dev/null)" = "$out" ] || why="$why; stdout differs"
	[ "$(cat "$OUT/$name.err" 2>/dev/null)" = "$err" ] || why="$why; stderr differs"
	verdict "$name" "$why"
}

# expect_re NAME RC STDOUT-REGEX STDERR-REGEX (grep -E over the text, newlines as ~)
expect_re() {
	local name=$1 rc=$2 out=$3 err=$4 why=
	[ "$(rc_of "$name")" = "$rc" ] || why="exit $(rc_of "$name"), want $rc"
	echo "$(tr '\n' '~' < "$OUT/$name.out" 2>/dev/null)" | grep -Eq "$out" || why="$why; stdout does not match"
	echo "$(tr '\n' '~' < "$OUT/$name.err" 2>/dev/null)" | grep -Eq "$err" || why="$why; stderr does not match"
	verdict "$name" "$why"
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
	why=
else
	why="rc $(rc_of storm): $(echo "$storm" | tr '\n' ' ') $(cat "$OUT/storm.err" 2>/dev/null)"
fi
verdict storm "$why" "storm ($(echo "$storm" | tr '\n' ' '))" 0
# past saturation: loss is allowed only when it is reported
storm=$(cat "$OUT/storm_max.out" 2>/dev/null)
if [ "$(rc_of storm_max)" = 0 ] && echo "$storm" | grep -Eq '^lines=([0-9]+) last=[0-9]+ gaps=' &&
	{ echo "$storm" | grep -Eq '^lines=([0-9]+) last=\1 gaps=0 ' ||
	  grep -q '^WARNING: Lost [0-9]* output records' "$OUT/storm_max.err"; }; then
	why=
else
	why="rc $(rc_of storm_max): $(echo "$storm" | tr '\n' ' ') $(cat "$OUT/storm_max.err" 2>/dev/null)"
fi
verdict storm_max "$why" "storm_max ($(echo "$storm" | tr '\n' ' ')$(sed -n 's/^WARNING: //p' "$OUT/storm_max.err" 2>/dev/null))" 0

expect end_error 1 "e1${NL}err" \
	"ERROR: division by 0 near operator '/' at <input>:1:67${NL}WARNING: Number of errors: 1, skipped probes: 0"
expect_re target_x 0 "mine=0 target>0=1~$" "^$"
expect stapio_killed 1 "start${NL}modules: 0" "ERROR: stapio was killed by signal 9"
# vmlib may have changed VM_SMP (-icount forces -smp 1)
ncpu_want=$VM_SMP
expect_re smp_order 0 "^lines=([0-9]+) last=\\1 disorder=0 cpus=$ncpu_want~$" "^$SKIPS_OK$"
expect_re skip_lowstack 1 "^error probe, n=0~$" \
	"^ERROR: Skipped too many probes, check MAXSKIPPED or try again with stap -t for more details.~WARNING: Skipped due to low stack: [6-9]~WARNING: Number of errors: 0, skipped probes: [6-9]~$"
expect leftover 0 "" ""
expect dmesg 0 "" ""
for n in "${TESTS[@]}"; do
	[ -n "${JUDGED[$n]:-}" ] || verdict "$n" "guest.sh has this test, run.sh does not check it"
done
# the whole kernel log of every boot (each test's own slice is checked above)
if grep -aE "$KLOG_BAD" "$OUT/console.log"; then
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
echo "hello session in guest: $HELLO_TIME; module size: $(stat -c %s "$OUT/mods/hello.ko" 2>/dev/null) bytes"
finish
