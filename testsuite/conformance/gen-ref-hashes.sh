#!/bin/bash
# Record the SHA-256 of SystemTap 4.8's `stap -p1` output for every Debian
# example script (the reference package `systemtap` must be installed and
# the headers of $REL present).  Only hashes are stored: the outputs are
# Debian's scripts in another form and stay out of the repository.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"
out=$HERE/p1-ref.sha256
: > "$out.tmp"
example_list | while read -r root rel; do
	eval "set -- $(example_args "$rel")"
	if (cd "$root/$(dirname "$rel")" && stap -r "$REL" -g -p1 "$root/$rel" "$@") > /tmp/ref-p1.out 2>/dev/null; then
		echo "$(sha256sum < /tmp/ref-p1.out | cut -c1-64) $rel" >> "$out.tmp"
	fi
done
mv "$out.tmp" "$out"
wc -l "$out"
