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

# `exec hangreport SID`: run by a job's watchdog when the job overran its
# timeout, before the SIGTERM: where each process of the job's session waits
# (state, wchan, kernel stack), and the kernel's backtraces of every CPU and
# of the blocked tasks on the console (sysrq l and w), so that a hang says
# where it was.
if [ "${1:-}" = hangreport ]; then
	sid=$2
	for d in /proc/[0-9]*; do
		[ -e "$d/exe" ] || continue
		read -r st <"$d/stat" 2>/dev/null || continue
		set -- ${st##*) }	# state ppid pgrp session ...
		[ "$4" = "$sid" ] || continue
		read -r comm <"$d/comm"
		read -r wchan <"$d/wchan"
		echo "${d#/proc/} $comm state $1 wchan ${wchan:-?}"
		sed 's/^/    /' "$d/stack" 2>/dev/null
	done
	echo l >/proc/sysrq-trigger
	echo w >/proc/sysrq-trigger
	exit 0
fi

# A marker on the kernel console: keeps the host watchdog fed (the number is
# how many seconds until the next marker) and cuts the kernel log into slices.
mark() { echo "@@SVM-$1 $2 $3" >/dev/kmsg; }

# Forks are slow under TCG (tens of ms each): the per-job path uses shell
# builtins where it can.

# _ms = milliseconds since boot ("123.45" -> 123450; never below 1 s here)
now_ms() {
	read -r _up _ </proc/uptime
	_ms=${_up%.*}${_up#*.}0
}

# frame ID KIND FILE [NAME [SIZE]]: one length-prefixed frame, so any bytes
# survive.
frame() {
	n=${5:-$(wc -c <"$3")}
	printf '@@SVM %s %s %s %s\n' "$1" "$2" "$n" "${4:--}" >&3
	[ "$n" = 0 ] || cat "$3" >&3
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
	mods0=
	while read -r m _; do mods0="$mods0 $m"; done </proc/modules
	# not `read`: sysctl files answer only the first read(2), and ash reads
	# byte by byte
	taint0=$(cat /proc/sys/kernel/tainted)
	I=$W/.info
	: >"$I"

	bgpid=
	if [ -f "$J/bg" ]; then
		setsid sh "$J/bg" </dev/null >"$W/.bg.log" 2>&1 3>&- &
		bgpid=$!
	fi
	# setsid: the job is a process group of its own, so a SIGKILL to the
	# group reaches everything it forked.
	now_ms; t0=$_ms
	setsid sh "$J/cmd" </dev/null >"$W/.out" 2>"$W/.err" 3>&- &
	pid=$!
	setsid sh -c "sleep $T; sh /vm/exec hangreport $pid >$W/.hang 2>&1; : >$W/.timedout; kill -TERM $pid; sleep $GRACE; kill -KILL -$pid" \
		</dev/null >/dev/null 2>&1 3>&- &
	wd=$!
	wait "$pid"
	rc=$?
	now_ms; t1=$_ms
	kill -KILL -"$wd" 2>/dev/null
	kill -KILL -"$pid" 2>/dev/null
	[ -n "$bgpid" ] && kill -TERM -"$bgpid" 2>/dev/null
	sweep

	if [ -f "$J/post" ]; then
		timeout -s KILL 60 sh "$J/post" </dev/null >>"$W/.out" 2>>"$W/.err" 3>&-
		echo "post_status=$?" >>"$I"
	fi

	# A module still loaded after staprun returned is a bug (in staprun or in
	# the module's exit path); remove it so the next job starts clean.
	left=
	while read -r m _; do
		case "$mods0 " in *" $m "*) ;; *) left="$left $m" ;; esac
	done </proc/modules
	leftover=
	for m in $left; do
		if rmmod "$m" 2>/dev/null; then leftover="$leftover $m(removed)"
		else leftover="$leftover $m(could-not-remove)"; fi
	done

	taint1=$(cat /proc/sys/kernel/tainted)
	set -- $(wc -c "$W/.out" "$W/.err")
	outn=$1 errn=$3
	set -- $(md5sum "$W/.out" "$W/.err")
	{
		echo "status=$rc"
		[ -e "$W/.timedout" ] && echo "timedout=$T"
		echo "elapsed_ms=$((t1 - t0))"
		echo "out_bytes=$outn"
		echo "out_md5=$1"
		echo "err_bytes=$errn"
		echo "err_md5=$3"
		echo "leftover=${leftover# }"
		# B bad page (32), D oops (128), W warning (512), L soft lockup (16384)
		echo "taint_new=$(( (taint1 & ~taint0) & (32 | 128 | 512 | 16384) ))"
	} >>"$I"

	# Bulky output stays here: only the first $maxout bytes travel.
	if [ "$outn" -gt "$maxout" ]; then
		head -c "$maxout" "$W/.out" >"$W/.out.cap"; mv "$W/.out.cap" "$W/.out"; outn=$maxout
	fi
	if [ "$errn" -gt "$maxout" ]; then
		head -c "$maxout" "$W/.err" >"$W/.err.cap"; mv "$W/.err.cap" "$W/.err"; errn=$maxout
	fi
	# sending is slow (~100 KB/s): give the host watchdog time for it
	mark SEND "$id" $(( (outn + errn) / 20000 + 30 ))
	frame "$id" INFO "$I"
	frame "$id" OUT "$W/.out" - "$outn"
	frame "$id" ERR "$W/.err" - "$errn"
	[ -f "$W/.hang" ] && frame "$id" FILE "$W/.hang" .hang
	if [ -f "$J/getfiles" ]; then
		for g in $(cat "$J/getfiles"); do
			for f in $g; do
				[ -f "$f" ] || continue
				head -c "$maxout" "$f" >"$W/.file.cap"
				n=$(wc -c <"$W/.file.cap")
				mark SEND "$id" $((n / 20000 + 30))
				frame "$id" FILE "$W/.file.cap" "$f" "$n"
			done
		done
	fi
	frame "$id" DONE /dev/null - 0
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
