#!/bin/bash
# Passes 1-4 benchmark (prints figures; not a test): the hello script and a
# 20-probe script, first use (empty cache), warm (cache hit) and rebuilt (a
# new module on a warm machine: Kbuild record and runtime object cached),
# then rebuilt the way pass 4 worked before (the kernel's whole top-level
# Makefile, the runtime compiled into the module's one file; -g0 stays); CPU time
# (user+sys of stap and everything it runs), wall time, `stap -v` per-pass
# wall times and the module size.  With the reference installed (`stap` of
# Debian's systemtap and /work/shared/tools/measure-passes) and BENCH_REF
# not 0, prints SystemTap 4.8's figures too (slow: minutes).
# Goals (issue 4): warm <= 0.05 s, rebuilt <= 1.5 s, first use <= 5 s,
# module size <= half of SystemTap's (118 KB for hello).
# RUNS=N repeats each rebuilt figure N times (default 3) and prints the
# lowest CPU time: the machine may be shared.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
B=${STAP_BUILD_DIR:-$REPO/build}
REL=${STAP_TEST_RELEASE:-6.1.0-56-amd64}
RUNS=${RUNS:-3}

hello='probe begin { println("hello world") exit() }'
twenty='global n'
for i in $(seq 1 20); do twenty+=" probe timer.ms($((i * 10))) { n++ }"; done
twenty+=' probe timer.s(1) { printf("%d\n", n) exit() }'

# the runtime without runtime.c: compiled into the module's file, as before
# (copied anew for each build: the checkout may change meanwhile)
old_rt=$(mktemp -d)
trap 'rm -rf "$old_rt"' EXIT
old_runtime() { rm -rf "$old_rt"/* && cp -r "$REPO/runtime/." "$old_rt/" && rm -f "$old_rt/runtime.c"; }

# run LABEL DIR ENV... -- STAP-ARGS...: one stap -p4, one line of figures
run() {
	local label=$1 dir=$2; shift 2
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	local t0 TIMEFORMAT='%U %S'
	t0=$(date +%s%N)
	{ time (cd "$dir" && env SYSTEMTAP_DIR="$dir/stapdir" "${envs[@]+"${envs[@]}"}" \
		"$B/stap" -v -r "$REL" -p4 "$@" >"$dir/out" 2>"$dir/err"; echo $? >"$dir/rc"); } 2>"$dir/time"
	local wall=$(( ($(date +%s%N) - t0) / 1000000 ))
	printf '  %-24s cpu %5d ms  wall %6d ms  passes 1-4 real ms:' "$label" \
		"$(awk '{printf "%d", ($1 + $2) * 1000}' "$dir/time")" "$wall"
	grep -E '^Pass [1-4]:' "$dir/err" | sed -E 's/.* in [0-9]+usr\/[0-9]+sys\/([0-9]+)real ms\./ \1/; s/^Pass ([34]): using cached.*/ cached/' | tr -d '\n'
	[ "$(cat "$dir/rc")" = 0 ] || printf '  FAILED: %s' "$(grep -m1 -i 'error' "$dir/err")"
	echo
	[ -s "$dir/out" ] && cp "$dir/out" "$dir/ko"
}

# best LABEL DIR ENV... --: RUNS rebuilt runs (a new module each), the one
# with the lowest CPU time
best() {
	local label=$1 dir=$2; shift 2
	local line lo= i
	for ((i = 1; i <= RUNS; i++)); do
		old_runtime
		line=$(run "$label" "$dir" "$@" -e "$script probe never { println(\"$(date +%s%N)\") }")
		local c; c=$(sed -E 's/.* cpu +([0-9]+) ms.*/\1/' <<<"$line")
		if [ -z "$lo" ] || [ "$c" -lt "$lo" ]; then lo=$c; bestline=$line; fi
	done
	echo "$bestline"
}

for name in hello twenty; do
	script=${!name}
	d=$(mktemp -d)
	echo "== $name (rebuilt: lowest CPU of $RUNS)"
	run "first use" "$d" -- -e "$script"
	run "warm" "$d" -- -e "$script"
	best "rebuilt" "$d" --
	ko=$(cat "$d/ko" 2>/dev/null)
	[ -n "$ko" ] && printf '  module size: %d bytes (stripped)\n' "$(stat -c %s "$ko")"
	best "rebuilt, no runtime obj" "$d" SYSTEMTAP_RUNTIME="$old_rt" --
	best "rebuilt, whole Makefile" "$d" SYSTEMTAP_KBUILD_REPLAY=0 --
	best "rebuilt as before" "$d" SYSTEMTAP_KBUILD_REPLAY=0 SYSTEMTAP_RUNTIME="$old_rt" --
	ko=$(cat "$d/ko" 2>/dev/null)
	[ -n "$ko" ] && printf '  module size as before: %d bytes (stripped)\n' "$(stat -c %s "$ko")"
	rm -rf "$d"
	if [ "${BENCH_REF:-1}" != 0 ] && command -v stap >/dev/null && [ -x /work/shared/tools/measure-passes ]; then
		echo "  SystemTap 4.8:"
		/work/shared/tools/measure-passes "$name" "$script" 2>/dev/null | sed 's/^/    /'
	fi
done
