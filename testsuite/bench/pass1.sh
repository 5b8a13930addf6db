#!/bin/bash
# Pass-1 benchmark (prints figures; not a test).
#  1. parsing Debian's whole tapset tree (607 files) in-process, best of N
#  2. `stap -p1` on a one-line script and on a few example scripts, with the
#     Debian tapset library loaded (what a user pays), ours vs SystemTap 4.8
#     when the reference `stap` is installed.
# Goal (issue 2): the whole tree in under 100 ms.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
B=${STAP_BUILD_DIR:-$REPO/build}
REL=${STAP_TEST_RELEASE:-6.1.0-56-amd64}
TAPSET=/usr/share/systemtap/tapset
N=${N:-5}
[ -d "$TAPSET" ] || { echo "needs Debian's systemtap-common (apt-get install systemtap-common)"; exit 1; }

mapfile -t files < <(find "$TAPSET" -name '*.stp' -o -name '*.stpm' | sort)
echo "== parse the whole tapset tree (${#files[@]} files, $(cat "${files[@]}" | wc -c) bytes), $N runs"
best_cpu=999999 best_wall=999999
for _ in $(seq "$N"); do
	line=$("$B/tools/parse_tree" -q -t -r "$REL" "${files[@]}" | grep '^time:')
	w=$(awk '{print $2}' <<<"$line"); c=$(awk '{print $5}' <<<"$line")
	best_wall=$(awk -v a="$w" -v b="$best_wall" 'BEGIN{print (a<b)?a:b}')
	best_cpu=$(awk -v a="$c" -v b="$best_cpu" 'BEGIN{print (a<b)?a:b}')
done
echo "best: ${best_cpu} ms cpu, ${best_wall} ms wall   (goal: < 100 ms)"

cpu_ms() { # command... -> user+sys ms of the child
	local f
	f=$(mktemp)
	/usr/bin/time -o "$f" -f '%U %S' "$@" >/dev/null 2>&1
	awk '{printf "%.0f", ($1 + $2) * 1000}' "$f"
	rm -f "$f"
}
best_of() { local best=999999 v; for _ in $(seq "$N"); do v=$(cpu_ms "$@"); [ "$v" -lt "$best" ] && best=$v; done; echo "$best"; }

echo
echo "== stap -p1 with the Debian tapset library (best of $N, user+sys ms)"
printf '%-40s %10s %10s\n' script ours "SystemTap 4.8"
scripts=("-e|probe begin { println(\"hello world\") exit() }"
	 "f|/usr/share/systemtap/examples/network/nettop.stp"
	 "f|/usr/share/systemtap/examples/process/syscalls_by_proc.stp"
	 "f|/usr/share/systemtap/examples/io/iotop.stp")
for s in "${scripts[@]}"; do
	kind=${s%%|*} arg=${s#*|}
	if [ "$kind" = "-e" ]; then set -- -e "$arg"; name="hello (-e)"; else set -- "$arg"; name=$(basename "$arg"); fi
	ours=$(SYSTEMTAP_TAPSET=$TAPSET best_of "$B/stap" -r "$REL" -p1 "$@")
	ref=-
	command -v stap >/dev/null && [ "$(command -v stap)" != "$B/stap" ] && ref=$(best_of stap -r "$REL" -p1 "$@")
	printf '%-40s %10s %10s\n' "$name" "$ours" "$ref"
done
