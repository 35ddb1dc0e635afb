#!/usr/bin/env bash
# `mpirun -np 2 mxai reproduce --preset smoke` reaches the one-process run's findings: the same claims with the
# same verdicts. (Its numbers differ slightly: the classifiers' gradient sums are ordered differently, and
# training amplifies that; docs/distributed.md.) Only rank 0 writes: no file of rank 1's.
# Usage: mpi_reproduce.sh MPIRUN MXAI WORK
source "$(dirname "$0")/mpi_common.sh"
verdicts() { grep -oE '^  \[(holds|does not hold|tie)\] [^:]*' "$1"; }
start=$SECONDS
two_ranks "$mxai" reproduce --preset smoke --seed 1 --no-taig --only mnist32 --threads 1 --quiet --out "$work/two" \
  > "$work/two.txt" 2>&1 || fail "the two-rank smoke run failed: $(tail -5 "$work/two.txt")"
echo "two ranks: $((SECONDS - start)) s"
n=$(verdicts "$work/one.txt" | wc -l)
[ "$n" -ge 5 ] || fail "the one-process run printed $n findings"
if [ "$(verdicts "$work/one.txt")" = "$(verdicts "$work/two.txt")" ]; then
  echo "the same $n findings"
else
  fail "findings differ:"
  diff <(verdicts "$work/one.txt") <(verdicts "$work/two.txt")
fi
[ "$(grep -c '^report:' "$work/two.txt")" -eq 1 ] || fail "expected one report line (rank 0 alone prints)"
[ -z "$(find "$work/two" -name '*.tmp.*')" ] || fail "temporary files left in $work/two"
finish
