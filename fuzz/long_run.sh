#!/usr/bin/env bash
# Runs each named fuzzer of build-fuzz/ for $MXAI_FUZZ_SECONDS (default 600) seconds, one after the other on one
# core, and prints each run's final "#N DONE cov: ... ft: ..." line. One at a time because the numbers are only
# comparable between runs that had a core each; new inputs go to build-fuzz/corpus-<target>, logs beside them.
#
#   bash fuzz/long_run.sh safetensors json idx
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MXAI_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${MXAI_FUZZ_SECONDS:-600}"
for target in "$@"; do
  exe="$build/fuzz_$target"
  [[ -x "$exe" ]] || { echo "fuzz/long_run.sh: no fuzzer $exe (build fuzz/ with clang first)" >&2; exit 2; }
  work="$build/corpus-$target"
  mkdir -p "$work" "$build/artifacts-$target"
  dict=()
  [[ -f "$root/fuzz/$target.dict" ]] && dict=("-dict=$root/fuzz/$target.dict")
  log="$build/long-$target.log"
  status=0
  (cd "$build/artifacts-$target" && "$exe" "${dict[@]}" -max_total_time="$seconds" -timeout=25 -print_final_stats=1 \
      "$work" "$root/fuzz/corpus/$target") >"$log" 2>&1 || status=$?
  echo "$target: exit $status: $(grep -m1 'DONE' "$log" || echo 'no DONE line')"
  grep -m1 'stat::number_of_executed_units' "$log" || true
done
