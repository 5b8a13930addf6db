#!/bin/sh
# guest-exec.sh - runs inside the test VM as /vm/exec (busybox ash), started by
# /init once the guest is up. For every job id in /vm/todo it runs
# /vm/jobs/ID/cmd in a fresh /tmp/w/ID and sends the results to the host on
# ttyS1 (framing: see vm_parse_results in vmlib.sh). Host-side logic lives in
# vmlib.sh; this file only does what must happen inside the guest.

# Between SIGTERM (staprun then runs the end probes and unloads the module) and
# SIGKILL of a job that overran its timeout.
GRACE=5
PORT=/dev/ttyS1

# A marker on the kernel console: keeps the host watchdog fed (the number is
# how many seconds until the next marker) and cuts the kernel log into slices.
mark() { echo "@@SVM-$1 $2 $3" >/dev/kmsg; }

now_ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }

# frame ID KIND FILE [NAME]: one length-prefixed frame, so any bytes survive.
frame() {
	n=$(wc -c <"$3")
	printf '@@SVM %s %s %s %s\n' "$1" "$2" "$n" "${4:--}" >&3
	cat "$3" >&3
	printf '\n' >&3
}

# User processes (kernel threads have no exe link), without forking, so the
# listing does not see itself.
user_pids() {
	_p=
	for d in /proc/[0-9]*; do
		[ -e "$d/exe" ] && _p="$_p ${d#/proc/}"
	done
}

# Kill whatever the job started and left behind (a -c child that escaped its
# process group, a daemonised workload...).
sweep() {
	user_pids
	for n in $_p; do
		[ "$n" = $$ ] && continue
		case " $pids0 " in *" $n "*) continue ;; esac
		kill -KILL "$n" 2>/dev/null
	done
}

run_job() {
	id=$1 J=/vm/jobs/$1 W=/tmp/w/$1
	read -r T <"$J/timeout"
	read -r maxout <"$J/maxout"
	mkdir -p "$W" && cd "$W" || return
	mark BEGIN "$id" $((T + GRACE + 40))
	user_pids; pids0=$_p
	mods0=$(cut -d' ' -f1 /proc/modules | tr '\n' ' ')
	read -r taint0 </proc/sys/kernel/tainted
	I=$W/.info
	: >"$I"

	bgpid=
	if [ -n "$(cat "$J/bg")" ]; then
		setsid sh "$J/bg" </dev/null >"$W/.bg.log" 2>&1 3>&- &
		bgpid=$!
	fi
	# setsid: the job is a process group of its own, so a SIGKILL to the
	# group reaches everything it forked.
	t0=$(now_ms)
	setsid sh "$J/cmd" </dev/null >"$W/.out" 2>"$W/.err" 3>&- &
	pid=$!
	setsid sh -c "sleep $T; : >$W/.timedout; kill -TERM $pid; sleep $GRACE; kill -KILL -$pid" \
		</dev/null >/dev/null 2>&1 3>&- &
	wd=$!
	wait "$pid"
	rc=$?
	t1=$(now_ms)
	kill -KILL -"$wd" 2>/dev/null
	kill -KILL -"$pid" 2>/dev/null
	[ -n "$bgpid" ] && kill -TERM -"$bgpid" 2>/dev/null
	sweep

	if [ -n "$(cat "$J/post")" ]; then
		timeout -s KILL 60 sh "$J/post" </dev/null >>"$W/.out" 2>>"$W/.err" 3>&-
		echo "post_status=$?" >>"$I"
	fi

	# A module still loaded after staprun returned is a bug (in staprun or in
	# the module's exit path); remove it so the next job starts clean.
	left=
	for m in $(cut -d' ' -f1 /proc/modules); do
		case " $mods0 " in *" $m "*) ;; *) left="$left $m" ;; esac
	done
	leftover=
	for m in $left; do
		if rmmod "$m" 2>/dev/null; then leftover="$leftover $m(removed)"
		else leftover="$leftover $m(could-not-remove)"; fi
	done

	read -r taint1 </proc/sys/kernel/tainted
	# B bad page (32), D oops (128), W warning (512), L soft lockup (16384)
	{
		echo "status=$rc"
		[ -e "$W/.timedout" ] && echo "timedout=$T"
		echo "elapsed_ms=$((t1 - t0))"
		echo "out_bytes=$(wc -c <"$W/.out")"
		echo "out_md5=$(md5sum <"$W/.out" | cut -d' ' -f1)"
		echo "err_bytes=$(wc -c <"$W/.err")"
		echo "err_md5=$(md5sum <"$W/.err" | cut -d' ' -f1)"
		echo "leftover=${leftover# }"
		echo "taint_new=$(( (taint1 & ~taint0) & (32 | 128 | 512 | 16384) ))"
	} >>"$I"

	head -c "$maxout" "$W/.out" >"$W/.out.cap"
	head -c "$maxout" "$W/.err" >"$W/.err.cap"
	# sending is slow (~100 KB/s): give the host watchdog time for it
	n=$(cat "$W/.out.cap" "$W/.err.cap" $(cat "$J/getfiles") 2>/dev/null | wc -c)
	mark SEND "$id" $((n / 20000 + 30))
	frame "$id" INFO "$I"
	frame "$id" OUT "$W/.out.cap"
	frame "$id" ERR "$W/.err.cap"
	for g in $(cat "$J/getfiles"); do
		for f in $g; do
			[ -f "$f" ] || continue
			head -c "$maxout" "$f" >"$W/.file.cap"
			frame "$id" FILE "$W/.file.cap" "$f"
		done
	done
	: >"$W/.done"
	frame "$id" DONE "$W/.done"
	cd / && rm -rf "$W"
	mark END "$id" 30
}

[ -f /vm/env ] && . /vm/env
exec 3>"$PORT"
mark READY - 30
for id in $(cat /vm/todo); do
	run_job "$id"
done
# The last close of the port waits until the UART has sent everything.
exec 3>&-
