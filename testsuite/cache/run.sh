#!/bin/bash
# The module cache of pass 4 ($SYSTEMTAP_DIR/cache), on the host: what
# makes a hit, what makes a miss, and the options that steer it.
#
#   hit          the same script twice: the second run says "Pass 3: using
#                cached" and "Pass 4: using cached" and gives the same .ko
#   miss/*       a -D option, another script, a runtime header edited
#                (runtime/tapset/ included), -g: each a new module
#   runtime      a copy of the runtime used twice hits; after one byte of
#                its tapset C changes, it misses
#   disable      --disable-cache: the module lands in the current
#                directory, the cache gains nothing, and nothing is read
#   poison       --poison-cache: rebuilt though cached, and stored again
#   limit        cache_mb_limit is made with 256; with 0 every older
#                entry goes, but never the module just built
#   clean        --clean-cache prunes to the limit and exits without
#                running the script (as SystemTap 4.8)
#
# Needs the target kernel's headers (KREL, default 6.1.0-56-amd64); skips
# without them.  Prints PASS/FAIL lines and "N passed, N failed".
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BUILD=${STAP_BUILD_DIR:-$REPO/build}
STAP=${STAP:-$BUILD/stap}
KREL=${KREL:-6.1.0-56-amd64}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

if [ ! -f "/lib/modules/$KREL/build/Makefile" ]; then
	echo "SKIP cache: no headers for $KREL (apt-get install linux-headers-$KREL)"
	echo "0 passed, 0 failed"
	exit 0
fi

W=$(mktemp -d /tmp/stap-cache-test.XXXXXX)
trap 'rm -rf "$W"' EXIT
export SYSTEMTAP_DIR=$W/dir
unset SYSTEMTAP_RUNTIME
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

# p4 NAME [stap options...]: -p4 -v; the .ko path in $W/NAME.out, stderr in
# $W/NAME.err, the status in $W/NAME.rc
p4() {
	local name=$1; shift
	(cd "$W" && "$STAP" -r "$KREL" -p4 -v "$@" >"$W/$name.out" 2>"$W/$name.err")
	echo $? >"$W/$name.rc"
}
# hit NAME: the run used the cache for passes 3 and 4
hit() { grep -q '^Pass 3: using cached' "$W/$1.err" && grep -q '^Pass 4: using cached' "$W/$1.err"; }
# built NAME: the run compiled and its .ko exists
built() {
	[ "$(cat "$W/$1.rc")" = 0 ] && ! grep -q 'using cached' "$W/$1.err" &&
		grep -q '^Pass 4: compiled C into' "$W/$1.err" && [ -f "$(cat "$W/$1.out")" ]
}
entries() { find "$SYSTEMTAP_DIR/cache" -mindepth 2 -name '*.ko' 2>/dev/null | sort; }
why() { echo "status $(cat "$W/$1.rc"); $(grep -E '^Pass [34]|error' "$W/$1.err" | tr '\n' ' ')"; }

S1='probe begin { println("cache one") exit() }'
S2='probe begin { println("cache two") exit() }'

p4 cold -e "$S1"
p4 warm -e "$S1"
if built cold && hit warm && [ "$(cat "$W/cold.out")" = "$(cat "$W/warm.out")" ] &&
   [ "$(cat "$W/warm.rc")" = 0 ]; then
	ok "hit: the same script twice"
else
	ko "hit: the same script twice" "cold: $(why cold) warm: $(why warm)"
fi
case "$(cat "$W/cold.out")" in
"$SYSTEMTAP_DIR"/cache/*/stap_*.ko) ok "hit: the module lives in \$SYSTEMTAP_DIR/cache" ;;
*) ko "hit: the module lives in \$SYSTEMTAP_DIR/cache" "$(cat "$W/cold.out")" ;;
esac

p4 define -e "$S1" -DMAXACTION=5
p4 other -e "$S2"
p4 guru -e "$S1" -g
for t in define other guru; do
	if built $t && [ "$(cat "$W/$t.out")" != "$(cat "$W/cold.out")" ]; then
		ok "miss/$t"
	else
		ko "miss/$t" "$(why $t)"
	fi
done

# a private copy of the runtime: its files are part of the key
cp -a "$REPO/runtime" "$W/rt"
SYSTEMTAP_RUNTIME=$W/rt p4 rt1 -e "$S1"
SYSTEMTAP_RUNTIME=$W/rt p4 rt2 -e "$S1"
echo "/* edited */" >>"$W/rt/tapset/cmdline.h"
SYSTEMTAP_RUNTIME=$W/rt p4 rt3 -e "$S1"
if built rt1 && hit rt2 && built rt3; then
	ok "runtime: an edit in runtime/tapset/ is a miss"
else
	ko "runtime: an edit in runtime/tapset/ is a miss" "rt1: $(why rt1) rt2: $(why rt2) rt3: $(why rt3)"
fi

before=$(entries)
mkdir -p "$W/here"
(cd "$W/here" && "$STAP" -r "$KREL" -p4 -v --disable-cache -e "$S1" >"$W/dis.out" 2>"$W/dis.err")
echo $? >"$W/dis.rc"
ko_path=$(cat "$W/dis.out")
if [ "$(cat "$W/dis.rc")" = 0 ] && ! grep -q 'using cached' "$W/dis.err" &&
   [ "${ko_path#/}" = "$ko_path" ] && [ -f "$W/here/$ko_path" ] && [ "$before" = "$(entries)" ]; then
	ok "disable: built in the current directory, the cache untouched"
else
	ko "disable: built in the current directory, the cache untouched" "$(why dis) path $ko_path"
fi

touch -d '2000-01-01' "$(cat "$W/cold.out")"
p4 poison -e "$S1" --poison-cache
p4 after_poison -e "$S1"
if built poison && [ "$(cat "$W/poison.out")" = "$(cat "$W/cold.out")" ] &&
   [ "$(stat -c %Y "$(cat "$W/cold.out")")" -gt 946684800 ] && hit after_poison; then
	ok "poison: rebuilt though cached, and stored again"
else
	ko "poison: rebuilt though cached, and stored again" "$(why poison)"
fi

if [ "$(cat "$SYSTEMTAP_DIR/cache/cache_mb_limit" 2>/dev/null)" = 256 ]; then
	ok "limit: cache_mb_limit is made with 256"
else
	ko "limit: cache_mb_limit is made with 256" "$(ls "$SYSTEMTAP_DIR/cache")"
fi

# clean: a limit of 0 leaves nothing; the script does not run
n_before=$(entries | wc -l)
echo 0 >"$SYSTEMTAP_DIR/cache/cache_mb_limit"
(cd "$W" && "$STAP" --clean-cache -e 'probe begin { exit() }' -p2 >"$W/clean.out" 2>"$W/clean.err")
rc=$?
if [ "$rc" = 0 ] && [ "$n_before" -ge 5 ] && [ -z "$(entries)" ] && [ ! -s "$W/clean.out" ]; then
	ok "clean: --clean-cache prunes to the limit and exits"
else
	ko "clean: --clean-cache prunes to the limit and exits" "status $rc, $n_before entries before, after: $(entries | wc -l), out: $(head -c 200 "$W/clean.out")"
fi
(cd "$W" && "$STAP" --clean-cache >/dev/null 2>"$W/clean2.err")
rc=$?
if [ "$rc" = 0 ]; then ok "clean: needs no script"; else ko "clean: needs no script" "status $rc $(cat "$W/clean2.err")"; fi

# limit 0: each new module survives its own trim, older ones go
p4 lim1 -e "$S1"
built lim1 && lim1=ok || lim1=
p4 lim2 -e "$S2"
if [ "$lim1" ] && built lim2 && [ "$(entries)" = "$(cat "$W/lim2.out")" ]; then
	ok "limit: a limit of 0 keeps only the module just built"
else
	ko "limit: a limit of 0 keeps only the module just built" "lim1: $(why lim1) lim2: $(why lim2) entries: $(entries | tr '\n' ' ')"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
