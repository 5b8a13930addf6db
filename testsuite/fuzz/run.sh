#!/bin/bash
# Fuzz pass 1 for a while:  testsuite/fuzz/run.sh [SECONDS] [libFuzzer options...]
# Builds the target (build.sh) into build-fuzz/, makes the seed corpus
# (seed.sh) and runs one fuzzing process; the corpus it grows stays in
# build-fuzz/corpus, findings go to build-fuzz/crashes/ (see README.md).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT=${FUZZ_OUT:-$REPO/build-fuzz}
SECS=${1:-600}
shift || true
"$HERE/build.sh" "$OUT"
rm -rf "$OUT/seed"
"$HERE/seed.sh" "$OUT/seed"
mkdir -p "$OUT/corpus" "$OUT/crashes"
cd "$OUT"
exec ./fuzz_parse -max_total_time="$SECS" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
	-dict="$HERE/stap.dict" -artifact_prefix=crashes/ -print_final_stats=1 "$@" corpus seed
