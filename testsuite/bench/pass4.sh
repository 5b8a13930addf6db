#!/bin/bash
# Passes 1-4 benchmark (prints figures; not a test): the hello script and a
# 20-probe script, first use (empty cache), rebuilt (new module, warm
# machine) and warm (cache hit); per-pass times from `stap -v` and the
# module size.  With the reference installed (`stap` of Debian's systemtap
# and /work/shared/tools/measure-passes), prints SystemTap 4.8's figures too.
# Goals (issue 4): warm <= 0.05 s, rebuilt <= 1.5 s, first use <= 5 s,
# module size <= half of SystemTap's (118 KB for hello).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
B=${STAP_BUILD_DIR:-$REPO/build}
REL=${STAP_TEST_RELEASE:-6.1.0-56-amd64}

hello='probe begin { println("hello world") exit() }'
twenty='global n'
for i in $(seq 1 20); do twenty+=" probe timer.ms($((i * 10))) { n++ }"; done
twenty+=' probe timer.s(1) { printf("%d\n", n) exit() }'

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

run() { # label dir extra-args... -e script
	local label=$1 dir=$2; shift 2
	local t0 rc ko
	t0=$(date +%s%N)
	ko=$(cd "$dir" && SYSTEMTAP_DIR=$dir/stapdir "$B/stap" -v -r "$REL" -p4 "$@" 2>"$dir/err")
	rc=$?
	printf '  %-10s rc=%d wall %5d ms' "$label" "$rc" "$(ms "$t0")"
	grep -E '^Pass [1-4]:' "$dir/err" | sed -E 's/.* in ([0-9]+)usr\/([0-9]+)sys\/([0-9]+)real ms\./ \3/' |
		tr '\n' ' ' | awk '{printf "   passes 1-4 real ms: %s\n", $0}'
	[ -n "$ko" ] && [ -f "$dir/$ko" -o -f "$ko" ] && echo "$ko" > "$dir/ko"
}

for name in hello twenty; do
	script=${!name}
	d=$(mktemp -d)
	echo "== $name"
	run "first use" "$d" -e "$script"
	run "warm" "$d" -e "$script"
	# rebuilt: same machine, a module not in the cache
	run "rebuilt" "$d" -e "$script probe never { println(\"$(date +%s%N)\") }"
	ko=$(cat "$d/ko" 2>/dev/null)
	[ -n "$ko" ] && printf '  module size: %d bytes\n' "$(stat -c %s "$ko")"
	rm -rf "$d"
	if command -v stap >/dev/null && [ -x /work/shared/tools/measure-passes ]; then
		echo "  SystemTap 4.8:"
		/work/shared/tools/measure-passes "$name" "$script" 2>/dev/null | sed 's/^/    /'
	fi
done
