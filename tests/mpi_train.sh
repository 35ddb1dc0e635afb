#!/usr/bin/env bash
# `mpirun -np 2 mxai train-classifier` follows the one-process trajectory: with the same global batch, each rank
# trains on half of it and the gradients are summed, so the first steps' losses agree to 1e-5 (later ones drift
# apart by summation order only). With and without PGD (adversarial) training; LeNet has dropout, whose masks
# must follow the rows across ranks. Then a small autoencoder (one epoch of Fashion-MNIST, if installed): the
# test reconstruction error of two ranks within 1% of one process's.
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

args=(train-autoencoder --data fashion-mnist --epochs 1 --width 4 --hidden 16 --latent-dim 4 --batch-size 256 --quiet)
if "$mxai" "${args[@]}" --out "$work/ae_one.safetensors" > "$work/ae_one.txt" 2>&1; then
  two_ranks "$mxai" "${args[@]}" --out "$work/ae_two.safetensors" > "$work/ae_two.txt" 2>&1 ||
    fail "two-rank autoencoder training failed: $(tail -3 "$work/ae_two.txt")"
  mse() { grep -o 'reconstruction MSE [0-9.e+-]*' "$1" | cut -d' ' -f3; }
  one=$(mse "$work/ae_one.txt") two=$(mse "$work/ae_two.txt")
  awk -v a="$one" -v b="$two" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a > 0 && d <= 0.01 * a) }' ||
    fail "autoencoder test MSE: one process $one, two ranks $two"
  echo "autoencoder test MSE: one process $one, two ranks $two"
else
  echo "skipped the autoencoder (no Fashion-MNIST here?): $(tail -1 "$work/ae_one.txt")"
fi
finish
