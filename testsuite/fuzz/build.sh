#!/bin/bash
# Build the pass-1 fuzz target with libFuzzer + ASan + UBSan (clang).
#   testsuite/fuzz/build.sh [OUTDIR]        (default: build-fuzz/)
# Produces OUTDIR/fuzz_parse.  See README.md for running it.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT=${1:-$REPO/build-fuzz}
CC=${CC:-$(command -v clang-14 || command -v clang)}
mkdir -p "$OUT"

# the pass-1 sources; session.c, library.c, options.c and main.c are not
# needed (the target plays their part)
SRCS=(util.c diag.c lex.c preproc.c parse.c dump.c)
SRCS=("${SRCS[@]/#/$REPO/translator/}")

# Every string literal of those sources, interned before the arena mark
# (see fuzz_parse.c): a superset of what tok_is() caches.
grep -ohE '"([^"\\]|\\.)*"' "${SRCS[@]}" | sort -u | sed 's/$/,/' > "$OUT/strings.inc"

"$CC" -std=gnu11 -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Wno-unused-parameter \
	-I"$REPO/translator" -I"$OUT" \
	-o "$OUT/fuzz_parse" "$HERE/fuzz_parse.c" "${SRCS[@]}"
echo "built $OUT/fuzz_parse"
