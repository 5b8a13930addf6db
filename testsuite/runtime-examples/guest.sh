#!/bin/sh
# guest.sh - the guest side of run.sh: every runtime example with OUR
# staprun/stapio, one test per call (busybox sh):
#   sh guest.sh --list    the test names, in order (also runs on the host)
#   sh guest.sh NAME      run test NAME; its stdout, stderr and exit status are
#                         the test's
# run.sh makes each test one job of testsuite/vm/vmlib.sh (the job runner
# checks for modules left loaded, new kernel taint and kernel log trouble
# around each job). The modules and this file are in /work; STAPRUN is
# exported (stapio sits beside staprun).
# Bulky output (the print storm) stays in the guest; only a summary is sent.
MODE=${1:?usage: guest.sh --list | NAME}
T=/tmp/t
if [ "$MODE" != --list ]; then
	S=${STAPRUN:?}
	cd /work || exit 1
	mkdir -p $T
fi

# wait_for TEXT FILE: until FILE has a line TEXT (max 20 s)
wait_for() {
	i=0
	while ! grep -qx "$1" "$2" && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
}

# t NAME 'SHELL COMMAND': the test NAME (run only when asked for)
t() {
	name=$1
	case "$MODE" in
	--list) echo "$name"; return ;;
	"$name") ;;
	*) return ;;
	esac
	# the command's output goes to files first: tests wait for lines in
	# their own stdout ($T/NAME.out)
	( eval "$2" ) > $T/$name.out 2> $T/$name.err
	rc=$?
	cat $T/$name.out
	cat $T/$name.err >&2
	exit $rc
}

# run.sh fetches $T/hello.time (the time of a whole hello session)
t hello "time -p $S hello.ko 2>$T/hello.time"
t begin_prio "$S begin_prio.ko"
t timer_end "$S timer_end.ko"
t divzero "$S divzero.ko"
t maxaction "$S maxaction.ko"
t trycatch "$S trycatch.ko"
t timer_error "$S timer_error.ko"
t kprobe_count "$S -c 'echo a; echo b; echo c' kprobe_count.ko"
t kretprobe "$S -c 'dd if=/etc/passwd of=/dev/null bs=7 count=1' kretprobe.ko"
t kprobe_missing "$S kprobe_missing.ko; rc=\$?; echo modules: \$(cat /proc/modules | wc -l); exit \$rc"
t kprobe_optional "$S kprobe_optional.ko"
t profile "$S profile.ko"
t global_param "$S global_param.ko n=42 s=hello"
t global_default "$S global_param.ko"
t global_bad "$S global_param.ko nosuch=1"
t procfs "$S procfs.ko & p=\$!
	d=/proc/systemtap/procfs
	wait_for ready $T/procfs.out
	ls -l \$d | awk '/^[-d]/ { print \$1, \$NF }'
	cat \$d/foo; echo hello > \$d/foo; cat \$d/foo; cat \$d/ro; echo
	kill -INT \$p; wait \$p"
t transport "$S sigint.ko & p=\$!; wait_for start $T/transport.out; sleep 0.5
	for d in /sys/kernel/debug/systemtap/sigint /proc/systemtap/sigint; do [ -e \$d/.cmd ] && echo \$d; done
	kill -INT \$p; wait \$p"
t sigint "$S sigint.ko & p=\$!; wait_for start $T/sigint.out; sleep 0.5; kill -INT \$p; wait \$p"
t sigterm_stapio "$S sigint.ko & p=\$!; wait_for start $T/sigterm_stapio.out; sleep 0.5; kill -TERM \$(pidof stapio); wait \$p"
t sighup "$S sigint.ko & p=\$!; wait_for start $T/sighup.out; sleep 0.5; kill -HUP \$p; wait \$p"
t timeout_T "$S -T 1 sigint.ko"
t child_status "$S -c 'sleep 0.3; exit 3' sigint.ko"
t child_killed "$S -c 'sleep 100' hello.ko"
t eexist "insmod hello.ko; $S hello.ko; echo rc=\$?; $S -d hello; echo d_rc=\$?; cat /proc/modules | wc -l"
# storm_check FILE CENTISECONDS: count lines, check the numbering has no gap
storm_check() {
	awk -v secs="$2" 'BEGIN { secs /= 100; n = 0; bad = 0 }
	     /^storm / { n++; if ($2 != n) { bad++; n = $2 } next }
	     /^last / { last = $2; next }
	     { bad++ }
	     END { printf "lines=%d last=%d gaps=%d lines/s=%d\n", n, last, bad, n / secs }' "$1"
	ls -l "$1" | awk -v secs="$2" '{ secs /= 100; printf "bytes=%d MB/s=%.1f\n", $5, $5 / secs / 1e6 }'
}
uptime_cs() { tr -d . < /proc/uptime | cut -d' ' -f1; }
t storm 'a=$(uptime_cs); $S -T 5 -o /tmp/storm.out storm.ko; rc=$?; b=$(uptime_cs)
	storm_check /tmp/storm.out $((b - a)); rm -f /tmp/storm.out; exit $rc'
t storm_max 'a=$(uptime_cs); $S -T 5 -o /tmp/storm.out storm.ko lines=400; rc=$?; b=$(uptime_cs)
	storm_check /tmp/storm.out $((b - a)); rm -f /tmp/storm.out; exit $rc'
t end_error "$S end_error.ko"
t target_x "$S -x 1 -T 1 kprobe_count.ko"
t stapio_killed "$S sigint.ko & p=\$!; wait_for start $T/stapio_killed.out; sleep 0.5; kill -KILL \$(pidof stapio); wait \$p; rc=\$?
	echo modules: \$(cat /proc/modules | wc -l); exit \$rc"
t smp_order '$S -o /tmp/smp.out smp_order.ko; rc=$?
	awk '"'"'BEGIN { n = 0; bad = 0 }
	     /^last / { last = $2; next }
	     { n++; if ($1 != n) bad++; cpu[$2] = 1 }
	     END { c = 0; for (k in cpu) c++; printf "lines=%d last=%d disorder=%d cpus=%d\n", n, last, bad, c }'"'"' /tmp/smp.out
	exit $rc'
t skip_lowstack "$S -c 'for i in 1 2 3 4 5 6 7 8 9 10; do echo \$i > /dev/null; done' skip_lowstack.ko"
t leftover "cat /proc/modules; ls /sys/kernel/debug/systemtap 2>/dev/null; ls /proc/systemtap 2>/dev/null"
t dmesg "dmesg | grep -E 'BUG:|Oops|WARNING:|general protection|soft lockup|RCU stall|stall on CPU|refcount|list_del corruption' || true"
[ "$MODE" = --list ] || { echo "guest.sh: no test named $MODE" >&2; exit 127; }
