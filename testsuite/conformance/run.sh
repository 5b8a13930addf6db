#!/bin/bash
# Conformance of pass 1 with SystemTap 4.8 on Debian's own files (read in
# place, never copied here):
#  - every .stp/.stpm of the systemtap-common tapset tree parses as a
#    library file (guru mode) with zero errors;
#  - every example script of systemtap-doc parses as a user script with
#    Debian's tapset macros, and its -p1 dump is byte-identical to
#    SystemTap 4.8's (compared by SHA-256, recorded by gen-ref-hashes.sh).
# Prints FAIL lines, the counts, and "N passed, N failed".
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
. "$HERE/common.sh"
B=${STAP_BUILD_DIR:-$REPO/build}
STAP=${STAP:-$B/stap}
PARSE_TREE=$B/tools/parse_tree

need=()
for p in systemtap-common systemtap-doc; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	echo "conformance: installing ${need[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null 2>&1; } ||
		{ echo "FAIL conformance: cannot install ${need[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi

pass=0 fail=0

# 1. the tapset tree, all of it (every architecture and runtime)
mapfile -t files < <(find "$TAPSET" -name '*.stp' -o -name '*.stpm' | sort)
out=$("$PARSE_TREE" -r "$REL" -a x86_64 -q "${files[@]}" 2>&1)
bad=$(grep -c '^FAILED: ' <<<"$out")
grep '^FAILED: ' <<<"$out" | sed 's/^FAILED: /FAIL conformance\/tapset: /'
[ "$bad" -gt 0 ] && grep -v -e '^FAILED: ' -e '^parsed ' <<<"$out" | head -40
echo "tapset tree: ${#files[@]} files, $((${#files[@]} - bad)) parsed, $bad with errors"
pass=$((pass + ${#files[@]} - bad)) fail=$((fail + bad))

# 2. the example scripts
check_example() { # root rel
	local root=$1 rel=$2 want got tmp
	tmp=$(mktemp)
	eval "set -- $(example_args "$rel")"
	(cd "$root/$(dirname "$rel")" &&
	 SYSTEMTAP_TAPSET=$TAPSET "$STAP" -r "$REL" -g -p1 "$root/$rel" "$@") >"$tmp" 2>"$tmp.err"
	local rc=$?
	got=$(sha256sum <"$tmp" | cut -c1-64)
	if [[ " $EXPECTED_FAIL " == *" $rel "* ]]; then
		if [ $rc = 1 ]; then echo "PASS example $rel (rejected, as by SystemTap)";
		else echo "FAIL example $rel: accepted, but SystemTap 4.8 rejects it"; fi
		rm -f "$tmp" "$tmp.err"; return
	fi
	if [ $rc != 0 ]; then
		echo "FAIL example $rel: exit status $rc"; sed 's/^/    /' "$tmp.err" | head -12
		rm -f "$tmp" "$tmp.err"; return
	fi
	rm -f "$tmp" "$tmp.err"
	want=$(awk -v p="$rel" '$2 == p { print $1 }' "$HERE/p1-ref.sha256")
	if [ -z "$want" ]; then echo "FAIL example $rel: no reference hash recorded";
	elif [ "$want" != "$got" ]; then echo "FAIL example $rel: -p1 output differs from SystemTap 4.8's";
	else echo "PASS example $rel"; fi
}
export -f check_example example_args
export STAP REL TAPSET EXPECTED_FAIL HERE
res=$(example_list | xargs -P "$(nproc)" -L1 bash -c 'check_example "$0" "$1"')
grep -v '^PASS' <<<"$res"
p=$(grep -c '^PASS' <<<"$res"); f=$(grep -c '^FAIL' <<<"$res")
echo "examples: $((p + f)) scripts, $p as SystemTap 4.8 (dump identical or rejected alike), $f failed"
pass=$((pass + p)) fail=$((fail + f))
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
