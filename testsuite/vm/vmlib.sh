# vmlib.sh - boot the target Debian kernel in a throw-away QEMU/TCG guest and
# run a list of "jobs" (a staprun command line, plus optional background
# workload and post-command) in it, one boot for the whole list.
#
# Sourced (bash) by testsuite/vm/stap-vm and testsuite/run/runner. The
# development machines cannot load modules, so pass 5 always happens here.
#
# Picture:
#   host                                guest (busybox, /init from the base image)
#   vm_base_initramfs (cached) --+
#   overlay: /vm/exec, /vm/jobs, +--> /init mounts, then runs /vm/exec, which for
#            modules, binaries   |    every id in /vm/todo runs /vm/jobs/ID/cmd in
#   vm_boot (watchdog) ----------+    /tmp/w/ID and sends the results, framed, on
#                                     ttyS1; kernel console stays on ttyS0.
#   vm_parse_results: ttyS1 -> DIR/ID/{info,stdout,stderr,file.*,done}
#
# Serial ports carry ~100 KB/s, so the guest caps what it sends (maxout) and
# always sends the full size and md5 of stdout/stderr.
#
# Watchdog: the guest writes markers "@@SVM-<WHAT> <id> <seconds>" to
# /dev/kmsg, so they land on the console in order with the kernel's own
# messages. <seconds> is how long the host should wait for the next marker;
# when it passes, the host kills QEMU. That bounds every phase (boot, each job,
# power-off) without a global limit, and the markers also let the caller cut
# the console log into per-job slices (vm_console_slice).
#
# Knobs (environment): VM_SMP (2), VM_TCG_THREAD (single; see README.md),
# VM_MEM (512), VM_QEMU_ARGS (e.g.
# "-icount shift=0,sleep=on"), VM_APPEND (kernel command line), VM_KERNEL,
# VM_BOOT_TIMEOUT (120 s to reach /vm/exec), STAP_VM_CACHE (/var/tmp/stap-vm),
# VM_PVH (1: boot the unpacked kernel, see vm_kernel_image), VM_VERBOSE=1
# (progress on stderr).

VM_KREL=6.1.0-56-amd64
VM_KERNEL=${VM_KERNEL:-/boot/vmlinuz-$VM_KREL}
VM_CACHE=${STAP_VM_CACHE:-/var/tmp/stap-vm}
VM_SMP=${VM_SMP:-2}
VM_TCG_THREAD=${VM_TCG_THREAD:-single}
VM_MEM=${VM_MEM:-512}
VM_QEMU_ARGS=${VM_QEMU_ARGS:-}
VM_APPEND=${VM_APPEND:-}
VM_BOOT_TIMEOUT=${VM_BOOT_TIMEOUT:-120}
VM_VERBOSE=${VM_VERBOSE:-0}
VM_LIBDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Kernel log lines that mean the kernel is no longer trustworthy.
VM_BAD_KLOG='BUG:|Oops|WARNING:|general protection|soft lockup|RCU stall|rcu_sched self-detected|rcu: INFO:|Kernel panic|hung_task|blocked for more than'

vm_die() { echo "${VM_PROG:-vmlib}: $*" >&2; exit 2; }
vm_log() { [ "$VM_VERBOSE" = 1 ] && echo "${VM_PROG:-vmlib}: $*" >&2; return 0; }
vm_now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }
# vm_sq WORD: WORD quoted for any POSIX shell (the guest's is busybox ash,
# which does not understand bash's printf %q $'...' forms).
vm_sq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# ---------------------------------------------------------------- packages
# Install what a clean Debian 12 machine lacks; a no-op when all is there.
vm_ensure_deps() {
    local p need=()
    for p in qemu-system-x86 busybox-static cpio xz-utils binutils make "linux-image-$VM_KREL" \
             "linux-headers-$VM_KREL" "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
            need+=("$p")
    done
    [ ${#need[@]} -eq 0 ] && return 0
    echo "${VM_PROG:-vmlib}: installing ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    # Debian's busybox-static conflicts with (replaces) the dynamic busybox.
    apt-get install -y --no-install-recommends "${need[@]}" >&2 ||
        { apt-get update >&2 && apt-get install -y --no-install-recommends "${need[@]}" >&2; } ||
        vm_die "could not install ${need[*]}"
}

# ------------------------------------------------------- filling an image
# vm_copy_path ROOT HOSTPATH [GUESTPATH]: one file into ROOT at GUESTPATH
# (default: the same path). Symlinks are kept as symlinks to the real file, so
# library sonames resolve in the guest as they do on the host.
vm_copy_path() {
    local root=$1 p=$2 g=${3:-$2} r
    r=$(readlink -f "$p") || return 1
    [ -f "$r" ] || return 1
    if [ "$g" != "$p" ]; then
        mkdir -p "$root$(dirname "$g")" && cp -pL "$p" "$root$g"
        return
    fi
    if [ ! -e "$root$r" ]; then
        mkdir -p "$root$(dirname "$r")" && cp -p "$r" "$root$r" || return 1
    fi
    if [ "$p" != "$r" ] && [ ! -e "$root$p" ] && [ ! -L "$root$p" ]; then
        mkdir -p "$root$(dirname "$p")" && ln -s "$r" "$root$p"
    fi
}

# vm_add_bin ROOT HOSTPATH [GUESTPATH]: an executable plus every shared library
# ldd names (at their host paths: the guest has no other libraries).
vm_add_bin() {
    local root=$1 b=$2 lib
    vm_copy_path "$root" "$b" "${3:-$b}" || return 1
    while read -r lib; do
        [ -n "$lib" ] && { vm_copy_path "$root" "$lib" || return 1; }
    done < <(ldd "$b" 2>/dev/null |
             sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p')
}

# vm_pack ROOT OUT: newc cpio of ROOT. Archives concatenate: the kernel unpacks
# them in order, later files win, which is how overlays stack on the base.
vm_pack() {
    (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$2"
}

# --------------------------------------------------- base image (cached)
# busybox + /init only: everything that changes per build (staprun, stapio,
# modules, jobs) goes into the per-run overlay, so the base is rebuilt only
# when busybox or the /init below change.
VM_INIT='#!/bin/sh
# /init of the stap test VM (testsuite/vm/vmlib.sh)
export PATH=/vm/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /dev/shm
hostname stapvm
ip link set lo up
stty -F /dev/ttyS1 raw -echo clocal
# every kernel message on the console from here on (warnings included), so
# the host can check each job'"'"'s slice of the log
dmesg -n 8
if [ -x /vm/exec ]; then /vm/exec </dev/null; else echo "init: no /vm/exec"; fi
echo "@@SVM-HALT - 30" >/dev/kmsg
sync
poweroff -f
sleep 30
'

vm_base_initramfs() {
    local key base root a
    mkdir -p "$VM_CACHE" || vm_die "cannot create $VM_CACHE"
    key=$( { echo v1; sha256sum "$(readlink -f /bin/busybox)"; printf '%s' "$VM_INIT"; } |
           sha256sum | cut -c1-16)
    base=$VM_CACHE/base-$key.cpio
    (
        flock 9
        [ -s "$base" ] && exit 0
        /bin/busybox --list-full >/dev/null 2>&1 && ! ldd /bin/busybox >/dev/null 2>&1 ||
            vm_die "/bin/busybox is not busybox-static"
        root=$(mktemp -d "$VM_CACHE/base.XXXXXX")
        mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib,usr/lib64,proc,sys,dev,tmp,run,etc,root,var/tmp,mnt,vm/bin}
        ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"
        ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
        mkdir -p "$root/usr/lib/modules/$VM_KREL"
        chmod 1777 "$root/tmp" "$root/var/tmp"
        cp "$(readlink -f /bin/busybox)" "$root/usr/bin/busybox"
        for a in $(/bin/busybox --list-full); do
            [ -e "$root/$a" ] || [ -L "$root/$a" ] || ln -s /usr/bin/busybox "$root/$a"
        done
        # staprun's privilege checks look these groups up
        printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
        printf 'root:x:0:\nstapusr:x:150:\nstapsys:x:151:\nstapdev:x:152:\nnogroup:x:65534:\n' > "$root/etc/group"
        printf 'passwd: files\ngroup: files\n' > "$root/etc/nsswitch.conf"
        printf '%s' "$VM_INIT" > "$root/init"
        chmod 755 "$root/init"
        vm_pack "$root" "$base.tmp" && mv "$base.tmp" "$base"
        rm -rf "$root"
    ) 9>"$VM_CACHE/.base-lock" || vm_die "building the base initramfs failed"
    echo "$base"
}

# ------------------------------------------------------------- jobs
# vm_overlay_init ROOT [ENVFILE-LINES...]: the guest executor and the
# environment every job sees (e.g. "export STAPIO=/path").
vm_overlay_init() {
    local root=$1 l
    shift
    mkdir -p "$root/vm/jobs" "$root/vm/bin" "$root/vm/mod"
    cp "$VM_LIBDIR/guest-exec.sh" "$root/vm/exec" && chmod 755 "$root/vm/exec"
    : > "$root/vm/env"
    for l in "$@"; do printf '%s\n' "$l" >> "$root/vm/env"; done
    : > "$root/vm/todo"
}

# vm_job_add ROOT ID TIMEOUT MAXOUT CMD [BG [POST [GETFILES]]]
#   CMD, BG, POST: shell command lines (busybox sh) run in the job's directory
#   /tmp/w/ID. CMD's stdout/stderr/status are the job's; BG runs in the
#   background from before CMD until CMD ends; POST runs after CMD, its output
#   appended. GETFILES: space-separated globs (relative to the job dir) of
#   files to send back. ID: [A-Za-z0-9_.-]+.
vm_job_add() {
    local root=$1 id=$2 d=$1/vm/jobs/$2
    mkdir -p "$d"
    printf '%s\n' "$3" > "$d/timeout"
    printf '%s\n' "$4" > "$d/maxout"
    printf '%s\n' "$5" > "$d/cmd"
    # absent file = nothing to do, so the guest need not read it to know
    [ -n "${6:-}" ] && printf '%s\n' "$6" > "$d/bg"
    [ -n "${7:-}" ] && printf '%s\n' "$7" > "$d/post"
    [ -n "${8:-}" ] && printf '%s\n' "$8" > "$d/getfiles"
    echo "$id" >> "$root/vm/todo"
}

# ------------------------------------------------------------ the kernel
# Debian's bzImage is xz-compressed, and unpacking it under TCG costs 10-13 s
# of every boot, before the kernel's clock even starts. The same kernel as an
# uncompressed ELF boots through PVH (QEMU loads it directly: Debian builds
# with CONFIG_PVH) in about half the time. So we unpack it once per image and
# cache it; VM_PVH=0, an image that is not xz, or an ELF without the PVH entry
# note falls back to the bzImage.
vm_kernel_image() {
    local k=$VM_KERNEL key elf off
    [ "${VM_PVH:-1}" = 1 ] && command -v xz >/dev/null && command -v readelf >/dev/null ||
        { echo "$k"; return; }
    key=$(sha256sum "$k" | cut -c1-16)
    elf=$VM_CACHE/vmlinux-$key.elf
    if [ ! -s "$elf" ]; then
        off=$(grep -abo $'\xfd7zXZ\x00' "$k" 2>/dev/null | head -1 | cut -d: -f1)
        [ -n "$off" ] && tail -c +$((off + 1)) "$k" | xz -dc 2>/dev/null > "$elf.$$"
        # 0x12: XEN_ELFNOTE_PHYS32_ENTRY, the PVH entry point
        if [ -s "$elf.$$" ] && [ "$(head -c4 "$elf.$$" | od -An -c | tr -d ' ')" = '177ELF' ] &&
           readelf -n "$elf.$$" 2>/dev/null | grep -q '(0x00000012)'; then
            mv "$elf.$$" "$elf"
        else
            rm -f "$elf.$$"
            vm_log "cannot unpack $k for a PVH boot; booting the bzImage"
            echo "$k"; return
        fi
    fi
    echo "$elf"
}

# -------------------------------------------------------------- booting
# vm_boot INITRD RUNDIR: boot, run, wait. Writes RUNDIR/console.log (ttyS0),
# RUNDIR/results (ttyS1), RUNDIR/qemu.out. Sets:
#   VM_RESULT   ok | timeout (host watchdog killed it) | panic | died (QEMU
#               ended without the guest's HALT marker) | qemu-failed
#   VM_WHERE    the last marker seen ("BEGIN 3", "READY -", ...)
#   VM_BOOT_MS  host time from QEMU start to the guest's READY marker
#   VM_TOTAL_MS
# Returns 0 only for ok.
vm_boot() {
    local initrd=$1 dir=$2 qpid t0 tnow last= cur limit=$VM_BOOT_TIMEOUT since
    : > "$dir/console.log"; : > "$dir/results"
    VM_RESULT=; VM_WHERE=; VM_BOOT_MS=; VM_TOTAL_MS=
    [ -f "$VM_KERNEL" ] || vm_die "no kernel image $VM_KERNEL"
    local kernel
    kernel=$(vm_kernel_image)
    # Measured with QEMU 7.2: an -icount guest with more than one CPU never
    # finishes booting (single-threaded TCG round-robin + virtual time).
    if [[ " $VM_QEMU_ARGS " = *" -icount "* ]] && [ "$VM_SMP" != 1 ]; then
        echo "${VM_PROG:-vmlib}: -icount: using -smp 1 (SMP guests hang in boot under -icount)" >&2
        VM_SMP=1
    fi
    vm_log "booting $kernel: -smp $VM_SMP -m $VM_MEM $VM_QEMU_ARGS"
    t0=$(vm_now_ms)
    # -nodefaults: no default serial/monitor, so ports are exactly ours:
    # ttyS0 = kernel console, ttyS1 = results.
    # shellcheck disable=SC2086 # VM_QEMU_ARGS is a list of words on purpose
    qemu-system-x86_64 -accel "tcg,thread=$VM_TCG_THREAD" -cpu max -smp "$VM_SMP" -m "$VM_MEM" $VM_QEMU_ARGS \
        -nographic -nodefaults -no-user-config -monitor none -no-reboot \
        -kernel "$kernel" -initrd "$initrd" \
        -append "console=ttyS0 panic=-1 oops=panic loglevel=5 printk.devkmsg=on $VM_APPEND" \
        -serial "file:$dir/console.log" -serial "file:$dir/results" \
        </dev/null >"$dir/qemu.out" 2>&1 &
    qpid=$!
    VM_QPID=$qpid
    since=$t0
    # Watchdog: each marker says how long to wait for the next one.
    while kill -0 "$qpid" 2>/dev/null; do
        sleep 0.2
        cur=$(grep -a -o '@@SVM-[A-Z]* [^ ]* [0-9]*' "$dir/console.log" 2>/dev/null | tail -1)
        tnow=$(vm_now_ms)
        if [ -n "$cur" ] && [ "$cur" != "$last" ]; then
            [ -z "$last" ] && VM_BOOT_MS=$((tnow - t0)) && vm_log "guest up after ${VM_BOOT_MS} ms"
            last=$cur; since=$tnow; limit=${cur##* }
            vm_log "guest: ${cur#@@SVM-}"
        fi
        if [ $((tnow - since)) -gt $((limit * 1000)) ]; then
            VM_RESULT=timeout
            kill "$qpid" 2>/dev/null; sleep 1; kill -9 "$qpid" 2>/dev/null
            break
        fi
    done
    wait "$qpid" 2>/dev/null
    local qrc=$?
    VM_QPID=
    VM_TOTAL_MS=$(( $(vm_now_ms) - t0 ))
    # the poll above can miss a marker that came just before the end
    last=$(grep -a -o '@@SVM-[A-Z]* [^ ]* [0-9]*' "$dir/console.log" 2>/dev/null | tail -1)
    cur=${last#@@SVM-}; VM_WHERE=${cur% *}
    if [ -z "$VM_RESULT" ]; then
        if grep -aq 'Kernel panic' "$dir/console.log"; then VM_RESULT=panic
        elif grep -aq '@@SVM-HALT' "$dir/console.log"; then VM_RESULT=ok
        elif [ "$qrc" != 0 ] || [ ! -s "$dir/console.log" ]; then VM_RESULT=qemu-failed
        else VM_RESULT=died
        fi
    fi
    vm_log "VM $VM_RESULT after $VM_TOTAL_MS ms (last marker: ${VM_WHERE:-none})"
    [ "$VM_RESULT" = ok ]
}

# vm_kill: for the caller's exit trap, so an interrupted run leaves no QEMU.
vm_kill() { [ -n "${VM_QPID:-}" ] && kill -9 "$VM_QPID" 2>/dev/null; return 0; }

# vm_explain RUNDIR: a few lines on why a boot went wrong, for humans.
vm_explain() {
    local dir=$1
    case "$VM_RESULT" in
        timeout) echo "guest made no progress (host watchdog killed QEMU; last marker: ${VM_WHERE:-none, boot did not finish})" ;;
        panic) echo "kernel panic (last marker: ${VM_WHERE:-none})" ;;
        died) echo "guest stopped without finishing (last marker: ${VM_WHERE:-none})" ;;
        qemu-failed) echo "QEMU failed: $(tr -d '\r' < "$dir/qemu.out" | tail -3)" ;;
    esac
    echo "--- console tail:"
    tr -d '\r' < "$dir/console.log" | grep -av '@@SVM-' | tail -20
}

# --------------------------------------------------------------- results
# vm_parse_results RESULTS OUTDIR: split the ttyS1 stream into files.
# Frame: "@@SVM <id> <kind> <size> <name>\n" + <size> bytes + "\n", kinds
# INFO (key=value lines), OUT, ERR, FILE (name = its guest path, relative to
# the job directory or absolute; listed in OUTDIR/ID/files), DONE.
# A frame cut short (guest died while sending) ends the parse.
vm_parse_results() {
    local res=$1 out=$2 tag id kind size name got f nf=0
    exec 7<"$res"
    while IFS=' ' read -r tag id kind size name <&7; do
        [ "$tag" = "@@SVM" ] && [[ "$size" =~ ^[0-9]+$ ]] && [[ "$id" =~ ^[A-Za-z0-9_.-]+$ ]] || continue
        mkdir -p "$out/$id"
        case "$kind" in
            INFO) f=$out/$id/info ;;
            OUT) f=$out/$id/stdout ;;
            ERR) f=$out/$id/stderr ;;
            FILE) nf=$((nf + 1)); f=$out/$id/file.$nf
                  printf '%s\t%s\n' "file.$nf" "$name" >> "$out/$id/files" ;;
            DONE) f=$out/$id/done ;;
            *) f=$out/$id/unknown ;;
        esac
        head -c "$size" <&7 > "$f"
        got=$(stat -c %s "$f")
        [ "$got" = "$size" ] || { rm -f "$out/$id/done"; break; }
        IFS= read -r _ <&7
    done
    exec 7<&-
}

# vm_info DIR/ID KEY: one value from a job's info frame.
vm_info() { sed -n "s/^$2=//p" "$1/info" 2>/dev/null | head -1; }

# vm_console_slice CONSOLE ID: the kernel log from job ID's BEGIN marker to the
# next job's BEGIN (or HALT): late messages (an RCU stall report comes ~20 s
# after the cause) still count against the job that ran last.
vm_console_slice() {
    tr -d '\r' < "$1" | awk -v id="$2" '
        index($0, "@@SVM-BEGIN " id " ") { on = 1; next }
        on && (index($0, "@@SVM-BEGIN ") || index($0, "@@SVM-HALT")) { exit }
        on { print }'
}

# vm_bad_klog: the lines of stdin that show a kernel problem.
vm_bad_klog() { grep -aE "$VM_BAD_KLOG"; }

# ------------------------------------------------------ stap command lines
# vm_use_reference: point STAP/STAPRUN/STAPIO at the installed SystemTap 4.8
# and its runtime patched for this kernel (made by shared/tools/stap-ref
# --setup), to test the harness itself before our own tools can.
vm_use_reference() {
    local rt tool
    rt=$(ls -d "${REFVM_CACHE:-/var/tmp/refvm}"/runtime-*/.patched 2>/dev/null | head -1)
    if [ -z "$rt" ]; then
        for tool in "$VM_LIBDIR/../../../shared/tools/stap-ref" /work/shared/tools/stap-ref; do
            [ -x "$tool" ] && { "$tool" --setup >&2; break; }
        done
        rt=$(ls -d "${REFVM_CACHE:-/var/tmp/refvm}"/runtime-*/.patched 2>/dev/null | head -1)
    fi
    [ -n "$rt" ] || vm_die "no patched reference runtime (run shared/tools/stap-ref --setup)"
    STAP=stap
    STAP_FLAGS="-R ${rt%/.patched}"
    STAPRUN=/usr/bin/staprun
    STAPIO=/usr/lib/systemtap/stapio
}

# vm_split_stap_args ARGS...: sort a stap command line into what passes 1-4
# need and what pass 5 (staprun) needs, the way stap itself hands options to
# staprun. Sets arrays SV_COMPILE (stap options, script and script args; -p/-r
# /-m removed), SV_RUN (staprun options), SV_MODOPTS (module parameters), and
# SV_PASS, SV_MODNAME, SV_OUTFILE, SV_HOSTONLY (1: nothing to run in a guest),
# SV_VERB. Options taking an argument are listed here; all other options pass
# to the compile unchanged.
vm_split_stap_args() {
    local a in_args=0 have_script=0
    SV_COMPILE=(); SV_RUN=(); SV_MODOPTS=()
    SV_PASS=5; SV_MODNAME=; SV_OUTFILE=; SV_HOSTONLY=0; SV_VERB=0; SV_RELEASE=
    while [ $# -gt 0 ]; do
        a=$1; shift
        if [ "$in_args" = 1 ]; then SV_COMPILE+=("$a"); continue; fi
        case "$a" in
            --) SV_COMPILE+=("$a"); in_args=1 ;;
            -p) SV_PASS=${1:?-p needs a number}; shift ;;
            -p*) SV_PASS=${a#-p} ;;
            -m) SV_MODNAME=${1:?-m needs a name}; shift ;;
            -m*) SV_MODNAME=${a#-m} ;;
            -r) SV_RELEASE=${1:?-r needs a release}; shift ;;
            -r*) SV_RELEASE=${a#-r} ;;
            # pass 5 only
            -o) SV_OUTFILE=${1:?-o needs a file}; SV_RUN+=(-o "$1"); shift ;;
            -o*) SV_OUTFILE=${a#-o}; SV_RUN+=(-o "$SV_OUTFILE") ;;
            # both: stap resolves process probes against -c/-x, sizes, -G values
            -c) SV_RUN+=(-c "${1?}"); SV_COMPILE+=(-c "$1"); shift ;;
            -x) SV_RUN+=(-x "${1?}"); SV_COMPILE+=(-x "$1"); shift ;;
            -s) SV_RUN+=(-b "${1?}"); SV_COMPILE+=(-s "$1"); shift ;;
            -S) SV_RUN+=(-S "${1?}"); SV_COMPILE+=(-S "$1"); shift ;;
            -G) SV_MODOPTS+=("${1?}"); SV_COMPILE+=(-G "$1"); shift ;;
            -w) SV_RUN+=(-w); SV_COMPILE+=(-w) ;;
            -v|-vv|-vvv|-vvvv) SV_VERB=$((SV_VERB + ${#a} - 1)); SV_COMPILE+=("$a") ;;
            -l|-L) SV_HOSTONLY=1; have_script=1; SV_COMPILE+=("$a" "${1?}"); shift ;;
            -l*|-L*|--dump-*|-V|--version|-h|--help|--check-version) SV_HOSTONLY=1; SV_COMPILE+=("$a") ;;
            -e) have_script=1; SV_COMPILE+=("$a" "${1?}"); shift ;;
            # compile-time options with a separate argument (-T: stap adds a
            # timer probe that calls exit(); it is not staprun's -T)
            -I|-D|-B|-R|-a|-E|-d|-T|--vp|--modinfo|--runtime|--privilege|--compatible|--remote|--tmpdir|--sysroot|--sysenv|--target-namespace)
                SV_COMPILE+=("$a" "${1?}"); shift ;;
            -) have_script=1; SV_COMPILE+=("$a") ;;
            -*) SV_COMPILE+=("$a") ;;
            *)  # the script file, then (like stap) script arguments
                SV_COMPILE+=("$a")
                [ "$have_script" = 1 ] && in_args=1
                have_script=1 ;;
        esac
    done
    local i
    for ((i = 1; i < SV_VERB; i++)); do SV_RUN=(-v "${SV_RUN[@]+"${SV_RUN[@]}"}"); done
    [ "$SV_PASS" = 5 ] || SV_HOSTONLY=1
}
