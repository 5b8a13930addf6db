#!/bin/bash
# Per-hit cost of a kprobe handler, and printf throughput (prints figures;
# not a test).  Issue 5's benchmark, in one QEMU guest booted with
# "-icount shift=0,sleep=on" (one guest nanosecond per instruction, so the
# figures do not depend on how busy the host is; forces -smp 1):
#
#   - ns per getpid() call, from a tight loop (perhit/getpid_loop.c):
#     with no probe; with a bare kprobe module (perhit/bare_kprobe.c, the
#     floor: a kprobe whose handler counts hits per pid); with our module
#     and with SystemTap 4.8's module for
#         global counts
#         probe kprobe.function("__x64_sys_getpid") { counts[pid()]++ }
#   - printf lines per second (guest time) from a timer storm, ours and
#     SystemTap's, and whether any line was lost.
#
# Usage: testsuite/bench/perhit.sh [CALLS]   (default 200000 calls per run)
# REF=0 leaves SystemTap 4.8 out.  Goal (issue 5): our extra cost per hit at
# most 1.5x the bare kprobe's, and below SystemTap's.
set -u
set -o pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
VM_PROG=perhit
# shellcheck source=../vm/vmlib.sh
. "$REPO/testsuite/vm/vmlib.sh"

CALLS=${1:-200000}
REF=${REF:-1}
STAP=${STAP:-$REPO/build/stap}
STAPRUN=${STAPRUN:-$REPO/build/staprun}
STAPIO=${STAPIO:-$REPO/build/stapio}
VM_QEMU_ARGS="${VM_QEMU_ARGS:-} -icount shift=0,sleep=on"
VM_SMP=1

perhit='global counts probe kprobe.function("__x64_sys_getpid") { counts[pid()]++ }'
# 20 lines of 60 bytes every 100 us for 2 s, then the count
storm='global n probe timer.us(100) { for (i = 0; i < 20; i++) printf("%8d %s\n", n++, "0123456789012345678901234567890123456789012345678") } probe timer.s(2) { exit() } probe end { printf("total %d\n", n) }'

vm_ensure_deps
WORK=$(mktemp -d "${TMPDIR:-/tmp}/perhit.XXXXXX")
trap 'vm_kill; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM HUP
OV=$WORK/overlay
vm_overlay_init "$OV"

# the loop and the floor module
gcc -O2 -o "$WORK/getpid_loop" "$HERE/perhit/getpid_loop.c" || vm_die "cannot build getpid_loop"
mkdir "$WORK/bare"
cp "$HERE/perhit/bare_kprobe.c" "$HERE/perhit/Kbuild" "$WORK/bare/"
make -s -C "/lib/modules/$VM_KREL/build" M="$WORK/bare" modules >"$WORK/bare.log" 2>&1 ||
    { cat "$WORK/bare.log" >&2; vm_die "cannot build bare_kprobe.ko"; }
vm_add_bin "$OV" "$WORK/getpid_loop" /vm/bin/getpid_loop || vm_die "cannot copy getpid_loop"
cp "$WORK/bare/bare_kprobe.ko" "$OV/vm/mod/"

# compile: NAME STAP [FLAGS...] -- SCRIPT
compile() {
    local name=$1 stap=$2 ko
    shift 2
    ko=$(cd "$WORK" && "$stap" -p4 -r "$VM_KREL" -m "$name" "$@") ||
        vm_die "$stap could not compile $name"
    ko=$(printf '%s\n' "$ko" | grep -E '\.ko$' | tail -1)
    [[ "$ko" = /* ]] || ko=$WORK/$ko
    cp "$ko" "$OV/vm/mod/$name.ko"
}
compile perhit_ours "$STAP" -e "$perhit"
# where our cost goes: the probe alone, and one global scalar
compile empty_ours "$STAP" -u -e 'probe kprobe.function("__x64_sys_getpid") { }'
compile scalar_ours "$STAP" -e 'global n probe kprobe.function("__x64_sys_getpid") { n++ }'
compile storm_ours "$STAP" -e "$storm"
vm_add_bin "$OV" "$STAPRUN" /vm/tools/staprun || vm_die "cannot copy $STAPRUN"
vm_add_bin "$OV" "$STAPIO" /vm/tools/stapio || vm_die "cannot copy $STAPIO"
if [ "$REF" = 1 ]; then
    (
        vm_use_reference
        read -r -a flags <<<"$STAP_FLAGS"
        compile perhit_ref stap "${flags[@]}" -e "$perhit"
        compile storm_ref stap "${flags[@]}" -e "$storm"
    ) || exit 1
    vm_add_bin "$OV" /usr/bin/staprun /usr/bin/staprun || vm_die "cannot copy SystemTap's staprun"
    vm_add_bin "$OV" /usr/lib/systemtap/stapio /usr/lib/systemtap/stapio || vm_die "cannot copy SystemTap's stapio"
fi

ours="STAPIO=/vm/tools/stapio /vm/tools/staprun"
ref="/usr/bin/staprun"
loop="/vm/bin/getpid_loop $CALLS"
# each figure twice, to see the noise
jobs=(
    "noprobe|$loop; $loop"
    "bare|insmod /vm/mod/bare_kprobe.ko && { $loop; $loop; rmmod bare_kprobe; }"
    "ours|$ours -c '$loop; $loop' /vm/mod/perhit_ours.ko"
    "empty|$ours -c '$loop; $loop' /vm/mod/empty_ours.ko"
    "scalar|$ours -c '$loop; $loop' /vm/mod/scalar_ours.ko"
    "storm_ours|$ours -o out.txt /vm/mod/storm_ours.ko; tail -n 1 out.txt; echo lines \$(wc -l < out.txt)"
)
if [ "$REF" = 1 ]; then
    jobs+=("ref|$ref -c '$loop; $loop' /vm/mod/perhit_ref.ko"
           "storm_ref|$ref -o out.txt /vm/mod/storm_ref.ko; tail -n 1 out.txt; echo lines \$(wc -l < out.txt)")
fi
for j in "${jobs[@]}"; do
    vm_job_add "$OV" "${j%%|*}" 300 65536 "${j#*|}"
done
vm_pack "$OV" "$WORK/overlay.cpio" || vm_die "cpio failed"
cat "$(vm_base_initramfs)" "$WORK/overlay.cpio" > "$WORK/initrd.cpio"
vm_boot "$WORK/initrd.cpio" "$WORK"
vm_parse_results "$WORK/results" "$WORK/out"

# the best (smallest) ns/call of a job, or "?"
nscall() {
    grep -o '^[0-9.]* ns/call' "$WORK/out/$1/stdout" 2>/dev/null | sort -n | head -1 | cut -d' ' -f1 | grep . || echo '?'
}
show_err() { [ -s "$WORK/out/$1/stderr" ] && sed 's/^/    stderr: /' "$WORK/out/$1/stderr"; return 0; }

echo "perhit: $CALLS getpid() calls per run, QEMU -icount shift=0 (1 guest ns = 1 instruction), kernel $VM_KREL"
none=$(nscall noprobe) bare=$(nscall bare) o=$(nscall ours)
printf '  %-34s %8s ns/call\n' "no probe" "$none" "bare kprobe module (floor)" "$bare" "our module" "$o"
show_err ours
printf '  %-34s %8s ns/call\n' "ours, empty handler" "$(nscall empty)" "ours, { n++ } on a global" "$(nscall scalar)"
r='?'
if [ "$REF" = 1 ]; then
    r=$(nscall ref)
    printf '  %-34s %8s ns/call\n' "SystemTap 4.8 module" "$r"
    show_err ref
fi
awk -v n="$none" -v b="$bare" -v o="$o" -v r="$r" 'BEGIN {
    if (n == "?" || b == "?" || o == "?") exit
    printf "  extra per hit: bare %.1f ns, ours %.1f ns (%.2fx the bare kprobe)", b - n, o - n, (o - n) / (b - n)
    if (r != "?") printf ", SystemTap %.1f ns (%.2fx)", r - n, (r - n) / (b - n)
    printf "\n"
}'
storm() { # job label
    local out=$WORK/out/$1/stdout total lines
    total=$(grep -o '^total [0-9]*' "$out" 2>/dev/null | cut -d' ' -f2)
    lines=$(grep -o '^lines [0-9]*' "$out" 2>/dev/null | cut -d' ' -f2)
    if [ -z "$total" ] || [ -z "$lines" ]; then
        echo "  $2: no result"
        show_err "$1"
        return
    fi
    # every printf line plus the "total" line must be there
    printf '  %-34s %8d lines/s (guest time), %d printed, %d lost\n' "$2" $((total / 2)) "$total" $((total + 1 - lines))
    show_err "$1"
}
storm storm_ours "printf storm, our module"
[ "$REF" = 1 ] && storm storm_ref "printf storm, SystemTap 4.8"
[ "$VM_RESULT" = ok ] || echo "perhit: guest: $VM_RESULT ($(vm_explain "$WORK"))" >&2
exit 0
