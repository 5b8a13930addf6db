#!/bin/bash
# Make the fuzz seed corpus (at run time; nothing of it is committed):
# every parse test script, the fuzz regressions, and - when installed -
# Debian's SystemTap examples and tapset files, read in place.
#   testsuite/fuzz/seed.sh DIR
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${1:?usage: seed.sh DIR}
mkdir -p "$DIR"
n=0
add() { # file
	[ -f "$1" ] || return 0
	[ "$(stat -c %s "$1")" -le 65536 ] || return 0
	cp "$1" "$DIR/$(sha1sum <"$1" | cut -c1-16)" && n=$((n + 1))
}
for f in "$HERE"/../parse/ok/*.stp "$HERE"/../parse/ko/*.stp "$HERE"/regressions/*; do add "$f"; done
for d in /usr/share/systemtap/examples /usr/share/doc/systemtap/examples /usr/share/systemtap/tapset; do
	[ -d "$d" ] || continue
	while IFS= read -r f; do add "$f"; done < <(find "$d" -name '*.stp' -o -name '*.stpm')
done
echo "seed corpus: $n files in $DIR"
