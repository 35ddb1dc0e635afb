#!/usr/bin/env bash
# The measurements behind docs/distributed.md: the same work as 1 rank x 2 threads and as 2 ranks x 1 thread
# (LeNet on Fashion-MNIST for one epoch; five attribution methods on 256 test points), alternating, twice, with
# the load average before each run (the machine may be shared). Needs an MPI build (default: build-mpi).
# Usage: scripts/measure_mpi_scaling.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mxai="${MXAI:-$PWD/build-mpi/apps/mxai}"
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
timed() {  # label command...: one line "label seconds load"
  local label=$1 load start
  shift
  load=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s.%N)
  "$@" > "$out/$label.log" 2>&1
  echo "$label $(echo "$(date +%s.%N) - $start" | bc) load $load"
}
one() { OMP_NUM_THREADS=2 "$mxai" "$@"; }
two() { mpirun --oversubscribe -np 2 -x OMP_NUM_THREADS=1 "$mxai" "$@"; }
train=(train-classifier --data fashion-mnist --epochs 1 --seed 0 --quiet)
explain=(explain --model "$out/lenet.safetensors" --data fashion-mnist --n 256 --quiet)
for round in 1 2; do
  timed "train_1x2_$round" one "${train[@]}" --out "$out/lenet.safetensors"
  timed "train_2x1_$round" two "${train[@]}" --out "$out/lenet_2x1.safetensors"
  timed "explain_1x2_$round" one "${explain[@]}" --out "$out/explain_1x2.safetensors"
  timed "explain_2x1_$round" two "${explain[@]}" --out "$out/explain_2x1.safetensors"
done
grep -h "test accuracy" "$out"/train_*_2.log
