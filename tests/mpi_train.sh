#!/usr/bin/env bash
# `mpirun -np 2 mxai train-classifier` follows the one-process trajectory: with the same global batch, each rank
# trains on half of it and the gradients are summed, so the first steps' losses agree to 1e-5 (later ones drift
# apart by summation order only). With and without PGD (adversarial) training; LeNet has dropout, whose masks
# must follow the rows across ranks.
# Usage: mpi_train.sh MPIRUN MXAI WORK
source "$(dirname "$0")/mpi_common.sh"
data="$work/one/mnist32/data"
for adv in 0 0.5; do
  args=(train-classifier --data "$data" --epochs 1 --batch-size 64 --seed 2 --adv-eps "$adv" --adv-steps 2 --quiet)
  "$mxai" "${args[@]}" --out "$work/lenet_one.safetensors" --step-losses "$work/losses_one.txt" > /dev/null ||
    fail "one-process training failed"
  two_ranks "$mxai" "${args[@]}" --out "$work/lenet_two.safetensors" --step-losses "$work/losses_two.txt" \
    > "$work/train_two.txt" 2>&1 || fail "two-rank training failed: $(tail -3 "$work/train_two.txt")"
  steps=$(wc -l < "$work/losses_one.txt")
  [ "$steps" -ge 5 ] || fail "only $steps steps"
  [ "$(wc -l < "$work/losses_two.txt")" -eq "$steps" ] || fail "the two-rank run took another number of steps"
  worst=$(paste "$work/losses_one.txt" "$work/losses_two.txt" | head -5 |
          awk '{ d = $2 - $4; if (d < 0) d = -d; if (d > m) m = d } END { printf "%.3g", m }')
  awk -v d="$worst" 'BEGIN { exit !(d <= 1e-5) }' || fail "adv-eps $adv: the first 5 losses differ by up to $worst"
  echo "adv-eps $adv: the first 5 step losses agree within $worst"
  for run in one two; do
    echo "  $run: $("$mxai" eval-classifier --model "$work/lenet_$run.safetensors" --data "$data" --quiet)"
  done
done
finish
