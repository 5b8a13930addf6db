#!/bin/bash
# Regenerate reference outputs: runs each given NAME.stp with the real
# SystemTap 4.8 (../../../../shared/tools/stap-ref, in the test VM) and stores
# stdout in NAME.out, stderr + exit status in NAME.err. Options for stap go in
# an optional first line "#opts: ..." of the script.
here=$(cd "$(dirname "$0")" && pwd)
ref=${STAP_REF:-/work/shared/tools/stap-ref}
for s in "$@"; do
	n=${s%.stp}
	opts=$(sed -n '1s/^#opts: //p' "$n.stp")
	# shellcheck disable=SC2086
	"$ref" --timeout 120 $opts "$n.stp" > "$n.out" 2> "$n.err.tmp"
	echo "exit=$?" >> "$n.err.tmp"
	grep -v '^stap-ref:' "$n.err.tmp" > "$n.err"; rm -f "$n.err.tmp"
	echo "$n: $(wc -c < "$n.out") bytes"
done
