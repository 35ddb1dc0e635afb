#!/usr/bin/env bash
# Slices of the reference preset's stages (docs/presets.md): each stage runs a few epochs or a few points with the
# reference settings, and the time per epoch / per point projects the full stage. On a shared machine the CPU
# time (one OpenMP thread by default) is the better measure of the work; the wall time measures the load too. Needs the ablation's base
# data (scripts/ablations.sh base_seed0): its VAE, labeler and generated test points.
#
#   bash scripts/time_reference_preset.sh        # prints one "stage: seconds for slice" line per slice
#   ONLY=LeNet bash scripts/time_reference_preset.sh   # only the slices whose label contains "LeNet"
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mxai="${MXAI:-$root/build/apps/mxai}"
dir="${ABLATIONS_DIR:-$root/runs/ablations}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
cd "$dir"
[[ -f data_vae30/test.safetensors && -f base_seed0.safetensors ]] ||
  { echo "time_reference_preset.sh: run scripts/ablations.sh base_seed0 first" >&2; exit 1; }
mkdir -p slices

timed() {  # LABEL COMMAND...: wall and CPU seconds (user + system) of one niced run
  local label=$1
  shift
  [[ -n "${ONLY:-}" && "$label" != *"$ONLY"* ]] && return 0
  /usr/bin/time -f "%e %U %S" -o slices/time.txt nice -n 5 "$@" > "slices/${label// /_}.log" 2>&1
  read -r wall user sys < slices/time.txt
  printf '%s: %.1f s wall, %.1f s CPU\n' "$label" "$wall" "$(echo "$user + $sys" | bc)"
}

# 640 generated training points (the base VAE and labeler): the slice the training stages run on.
[[ -f slices/data/train.safetensors ]] || nice -n 5 "$mxai" make-manifold-dataset --vae vae30.safetensors \
  --labeler data_vae30/labeler.safetensors --n-train 640 --n-test 100 --seed 0 --out slices/data --quiet

# SimpleNetV1 trains about 70 times slower per image than LeNet: its slice is 128 images.
[[ -f slices/data128/train.safetensors ]] || nice -n 5 "$mxai" make-manifold-dataset --vae vae30.safetensors \
  --labeler data_vae30/labeler.safetensors --n-train 128 --n-test 100 --seed 0 --out slices/data128 --quiet
timed "SimpleNetV1 labeler, 1 epoch on 128 images (batch 64, constant Adam 1e-3)" \
  "$mxai" train-classifier --data slices/data128 --arch simplenet --epochs 1 --batch-size 64 --schedule constant \
  --out slices/simplenet.safetensors --quiet
timed "SimpleNetV1 forward on 100 images (eval-classifier)" \
  "$mxai" eval-classifier --model slices/simplenet.safetensors --data slices/data128 --quiet
timed "adversarial LeNet, 1 epoch on 640 images (reference PGD: 100 whole-batch steps, batch 100)" \
  "$mxai" train-classifier --data slices/data --epochs 1 --batch-size 100 --optimizer sgd --lr 0.1 \
  --schedule multistep --lr-milestones 4 --adv-eps-choices 1,4,8 --adv-steps 100 --adv-whole-batch-norms \
  --adv-random-start --adv-attack-train-mode --adv-no-clamp --out slices/adversarial.safetensors --quiet
timed "standard LeNet, 1 epoch on 640 images (batch 32, StepLR(10, 0.1))" \
  "$mxai" train-classifier --data slices/data --epochs 1 --batch-size 32 --schedule step --lr-step 10 \
  --out slices/standard.safetensors --quiet
timed "VAE, 1 epoch on the 8000 real digits (batch 64, anneal 10000)" \
  "$mxai" train-vae --data mnist --epochs 1 --anneal-steps 10000 --out slices/vae.safetensors --figures none --quiet
timed "five attribution methods on 100 points" \
  "$mxai" explain --model base_seed0.safetensors --data data_vae30 --n 100 --out slices/explain.safetensors --quiet
timed "TAIG on 5 points, 300 iterations" \
  "$mxai" taig --model base_seed0.safetensors --data data_vae30 --n 5 --iterations 300 --quiet
timed "Fashion-MNIST autoencoder, 1 epoch on 60000 images" \
  "$mxai" train-autoencoder --data fashion-mnist --epochs 1 --latent-dim 16 --out slices/autoencoder.safetensors --quiet
