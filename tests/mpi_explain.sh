#!/usr/bin/env bash
# `mpirun -np 2 mxai explain` writes the attributions and tangent fractions of one process (max difference 1e-5):
# 150 points, so rank 0 explains two blocks of 64 and rank 1 the remaining 22, and SmoothGrad's noise must follow
# the points, not the ranks. The same for `mxai taig` on 8 points (its ascent is slow; the ranks split them 4 and
# 4) and for `mxai tangent-space` on 100 points (Jacobian chunks of 64: 64 and 36).
# Usage: mpi_explain.sh MPIRUN MXAI WORK SAFETENSORS_MAX_DIFF
source "$(dirname "$0")/mpi_common.sh"
max_diff="$4"
model="$work/one/mnist32/standard.safetensors"
data="$work/one/mnist32/data"
# Every tensor's max difference within 1e-5 (and at least one tensor compared).
compare() {
  local out n=0 name diff
  out=$("$max_diff" "$1" "$2") || { fail "$1 vs $2: $out"; return; }
  while read -r name diff; do
    n=$((n + 1))
    awk -v d="$diff" 'BEGIN { exit !(d <= 1e-5) }' || fail "$name differs by $diff between $1 and $2"
  done <<< "$out"
  [ "$n" -gt 0 ] || fail "nothing compared in $1"
  echo "$(basename "$1"): $n tensors within 1e-5 (largest: $(sort -g -k2 <<< "$out" | tail -1))"
}
args=(explain --model "$model" --data "$data" --n 150 --seed 3 --quiet)
"$mxai" "${args[@]}" --out "$work/explain_one.safetensors" > /dev/null || fail "one-process explain failed"
two_ranks "$mxai" "${args[@]}" --out "$work/explain_two.safetensors" > "$work/explain_two.txt" 2>&1 ||
  fail "two-rank explain failed: $(tail -3 "$work/explain_two.txt")"
compare "$work/explain_one.safetensors" "$work/explain_two.safetensors"
grep -q '^smoothgrad' "$work/explain_two.txt" || fail "the two-rank run printed no summary"

args=(taig --model "$model" --data "$data" --n 8 --quiet)
"$mxai" "${args[@]}" --out "$work/taig_one.safetensors" > /dev/null || fail "one-process taig failed"
two_ranks "$mxai" "${args[@]}" --out "$work/taig_two.safetensors" > "$work/taig_two.txt" 2>&1 ||
  fail "two-rank taig failed: $(tail -3 "$work/taig_two.txt")"
compare "$work/taig_one.safetensors" "$work/taig_two.safetensors"

args=(tangent-space --vae "$work/one/mnist32/vae.safetensors" --data "$data/test.safetensors" --n 100 --quiet)
"$mxai" "${args[@]}" --out "$work/tangent_one.safetensors" > /dev/null || fail "one-process tangent-space failed"
two_ranks "$mxai" "${args[@]}" --out "$work/tangent_two.safetensors" > "$work/tangent_two.txt" 2>&1 ||
  fail "two-rank tangent-space failed: $(tail -3 "$work/tangent_two.txt")"
compare "$work/tangent_one.safetensors" "$work/tangent_two.safetensors"
finish
