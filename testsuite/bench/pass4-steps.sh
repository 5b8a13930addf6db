#!/bin/bash
# Where pass 4's time goes (prints figures; not a test).  Builds the hello
# module with -k on a warm cache (Kbuild record and runtime object there),
# then re-runs each step of its Kbuild build from the kept directory's .cmd
# files and prints its CPU time (user+sys, the lowest of RUNS, default 3):
# the generated file's compile and objtool, the runtime object's compile
# (done once per kernel and -D set), the links, modpost, the .mod.c
# compile, strip; then what the compile of the generated file is made of
# (Kbuild's forced includes alone, the kernel headers the runtime uses,
# the runtime in the same file as before, with and without -g, gcc's
# -ftime-report phases) and make's own cost (`make -C BUILD M=DIR modules`
# with nothing to rebuild: the kernel's top-level Makefile and the three
# sub-makes reading their files).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
B=${STAP_BUILD_DIR:-$REPO/build}
REL=${STAP_TEST_RELEASE:-6.1.0-56-amd64}
RUNS=${RUNS:-3}
RT=$REPO/runtime
hello='probe begin { println("hello world") exit() }'

d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
export SYSTEMTAP_DIR=$d/stapdir
"$B/stap" -r "$REL" -p4 -e "$hello" >/dev/null 2>&1
T=$(cd "$d" && "$B/stap" -k -r "$REL" -p4 -e "$hello probe never { println(\"$(date +%s%N)\") }" 2>&1 >/dev/null |
	sed -n 's/^Keeping temporary directory "\(.*\)"$/\1/p')
[ -d "$T" ] || { echo "pass4-steps: no kept directory" >&2; exit 1; }
trap 'rm -rf "$d" "$T"' EXIT
K=$(readlink -f "/lib/modules/$REL/build")
name=$(basename "$(ls "$T"/*.ko)" .ko)

# the command of a .cmd file, make's $$ unescaped
cmd_of() { sed -n '1s/^cmd_[^ ]* := //p' "$T/.$1.cmd" | sed 's/\$\$/$/g'; }

# step LABEL COMMAND: the lowest CPU time of RUNS runs, in the build tree
step() {
	local label=$1 cmd=$2 lo= i t TIMEFORMAT='%U %S'
	for ((i = 1; i <= RUNS; i++)); do
		t=$( { time (cd "$K" && sh -c "$cmd" >/dev/null 2>&1); } 2>&1 | awk '{printf "%d", ($1 + $2) * 1000}')
		if [ -z "$lo" ] || [ "$t" -lt "$lo" ]; then lo=$t; fi
	done
	printf '  %-58s %5d ms\n' "$label" "$lo"
}

gen=$(cmd_of "${name}_src.o")
gcc_gen=${gen%%;*}
objtool=${gen#*;}
src="$T/${name}_src.c"
out="$T/${name}_src.o"
# the same compile on other sources: $1 source, $2 extra flags
gcc_on() { local c=${gcc_gen/ -c -o $out $src/ ${2:-} -c -o $d/x.o $1}; echo "${c/-DSTP_RUNTIME_LINKED/}"; }
# preprocess only: $1 source, $2 output, $3 STP_RUNTIME_LINKED kept (1)
cpp_on() { local c=${gcc_gen/ -c -o $out $src/ -E -o $2 $1}; [ "${3:-}" = 1 ] && echo "$c" || echo "${c/-DSTP_RUNTIME_LINKED/}"; }

# the sub-makes stap replays (its Kbuild record), as one shell command
replay_cmd() {
	local rec kind val cmd= one=
	rec=$(ls "$SYSTEMTAP_DIR"/cache/kbuild/*.replay | head -n1)
	while IFS= read -r line; do
		kind=${line%% *} val=${line#* }
		val=${val//@STAP_M@/$T}
		case "$kind" in
		make) [ -n "$one" ] && cmd+="($one) && "; one="cd $(printf %q "$val") && env" ;;
		set) one+=" $(printf %q "$val")" ;;
		unset) one+=" -u $(printf %q "$val")" ;;
		arg) [[ "$one" == *" make "* || "$one" == *" make" ]] || one+=" make"; one+=" $(printf %q "$val")" ;;
		esac
	done < <(grep -v '^#\|^check ' "$rec")
	echo "$cmd($one)"
}

echo "== pass 4 steps for hello ($REL), CPU ms"
step "generated file: gcc (runtime linked, -g0)" "$gcc_gen"
step "generated file: objtool" "$objtool"
step "runtime object: gcc runtime.c (once per kernel, -D set)" "$(gcc_on "$RT/runtime.c")"
step "link the module's objects (ld -r)" "$(cmd_of "$name.o")"
step "modpost" "$(cmd_of Module.symvers)"
step ".mod.c: gcc" "$(cmd_of "$name.mod.o")"
step ".ko: ld" "$(cmd_of "$name.ko")"
cp "$T/$name.ko" "$d/s.ko"
step "strip --strip-debug" "cp $T/$name.ko $d/s.ko && strip --strip-debug $d/s.ko"
step "make -C BUILD M=DIR modules, nothing to rebuild" "make -C $K M=$T modules"
step "the replayed sub-makes, nothing to rebuild" "$(replay_cmd)"

echo "== the generated file's compile, CPU ms"
: >"$d/empty.c"
grep -h '#include <\(linux\|asm\)/' "$RT"/*.c "$RT"/*.h | sort -u >"$d/headers.c"
step "empty file (Kbuild's forced includes)" "$(gcc_on "$d/empty.c" -g0)"
step "the runtime's kernel headers ($(wc -l <"$d/headers.c") #includes), -g0" "$(gcc_on "$d/headers.c" -g0)"
step "generated file, runtime linked, -g0 (now)" "$gcc_gen"
step "generated file, runtime in the same file, -g0" "$(gcc_on "$src" -g0)"
step "generated file, runtime in the same file, -g (before)" "$(gcc_on "$src" -g)"
printf '  lines after preprocessing: headers %d, runtime linked %d, runtime in the file %d\n' \
	"$(cd "$K" && sh -c "$(cpp_on "$d/headers.c" "$d/h.i")" 2>/dev/null; wc -l <"$d/h.i")" \
	"$(cd "$K" && sh -c "$(cpp_on "$src" "$d/g.i" 1)" 2>/dev/null; wc -l <"$d/g.i")" \
	"$(cd "$K" && sh -c "$(cpp_on "$src" "$d/o.i")" 2>/dev/null; wc -l <"$d/o.i")"
echo "  gcc -ftime-report, runtime in the same file, -g0 (phases):"
(cd "$K" && sh -c "$(gcc_on "$src" "-g0 -ftime-report")" 2>&1 | grep -E '^ phase (parsing|opt and generate)|TOTAL' | sed 's/^/    /')
echo "  gcc -ftime-report, runtime linked, -g0 (phases):"
(cd "$K" && sh -c "${gcc_gen/ -c -o/ -ftime-report -c -o}" 2>&1 | grep -E '^ phase (parsing|opt and generate)|TOTAL' | sed 's/^/    /')
