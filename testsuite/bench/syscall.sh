#!/bin/bash
# Syscall tapset benchmark (prints figures; not a test):
#   - what the tapset costs every script in passes 1-2 (hello, -p2),
#   - pass 2 of syscall.* with argstr and retstr,
#   - pass 4 cold (empty cache) of syscall.* scripts: a counter by name
#     and a printer of every call's argstr and retstr,
# as wall and user+sys CPU milliseconds (the best of N runs for the quick
# ones; the machine may be shared, CPU time is the steadier figure).
# REF=1 adds SystemTap 4.8's figures (slow: minutes).
# Goal (issue 6): syscall.* to a module (-p4) under 5 s cold.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
B=${STAP_BUILD_DIR:-$REPO/build}
REL=${STAP_TEST_RELEASE:-6.1.0-56-amd64}
N=${N:-5}

hello='probe begin { println("hello world") exit() }'
count='global calls probe syscall.* { calls[name]++ } probe end { foreach (n+ in calls) printf("%s %d\n", n, calls[n]) }'
trace='probe syscall.* { printf("%s(%s)\n", name, argstr) } probe syscall.*.return { printf("%s = %s\n", name, retstr) }'

# one run of a command: "wall cpu" in ms (cpu = user + sys of the children)
once() {
	local t0 t1 c0 c1 me=$BASHPID
	c0=$(awk '{print $16 + $17}' /proc/$me/stat)
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s%N)
	c1=$(awk '{print $16 + $17}' /proc/$me/stat)
	echo "$(( (t1 - t0) / 1000000 )) $(( (c1 - c0) * 1000 / $(getconf CLK_TCK) ))"
}

best() { # command... -> best "wall cpu" of N runs (by CPU)
	local b="" r bc=999999999
	for _ in $(seq "$N"); do
		r=$(once "$@")
		if [ "${r#* }" -lt "$bc" ]; then bc=${r#* }; b=$r; fi
	done
	echo "$b"
}

show() { # label "wall cpu"
	printf '  %-44s wall %6d ms  cpu %6d ms\n' "$1" "${2% *}" "${2#* }"
}

echo "syscall tapset ($REL): $(grep -c '^probe syscall\.[a-z0-9_]* =' "$REPO/tapset/linux/x86_64/syscalls.stp") aliases, $(du -k "$REPO/tapset/linux/x86_64/syscalls.stp" | cut -f1) KB generated"
show "hello -p2 (every script parses the tapset)" "$(best "$B/stap" -p2 -e "$hello")"
lib=$(mktemp -d)
cp -r "$REPO/tapset/." "$lib/"
rm -f "$lib"/linux/syscall*.stp "$lib"/linux/x86_64/syscalls.stp
show "hello -p2 without the syscall tapset" "$(best env SYSTEMTAP_TAPSET="$lib" "$B/stap" -p2 -e "$hello")"
rm -rf "$lib"
show "syscall.* argstr + retstr -p2" "$(best "$B/stap" -p2 -e "$trace")"

for s in count trace; do
	d=$(mktemp -d)
	r=$(once env SYSTEMTAP_DIR="$d" "$B/stap" -r "$REL" -p4 --disable-cache -e "${!s}")
	show "syscall.* $s -p4 cold" "$r"
	rm -rf "$d"
	if [ "${REF:-0}" = 1 ] && command -v stap >/dev/null; then
		d=$(mktemp -d)
		r=$(once env SYSTEMTAP_DIR="$d" stap -r "$REL" -p4 --disable-cache -e "${!s}")
		show "  SystemTap 4.8: syscall.* $s -p4 cold" "$r"
		rm -rf "$d"
	fi
done
