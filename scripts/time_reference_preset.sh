#!/usr/bin/env bash
# Slices of the reference preset's stages (docs/presets.md): each stage runs a few epochs or a few points with the
# reference settings, and the wall time per epoch / per point projects the full stage. Needs the ablation's base
# data (scripts/ablations.sh base_seed0): its VAE, labeler and generated test points.
#
#   bash scripts/time_reference_preset.sh        # prints one "stage: seconds for slice" line per slice
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mxai="${MXAI:-$root/build/apps/mxai}"
dir="${ABLATIONS_DIR:-$root/runs/ablations}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
cd "$dir"
[[ -f data_vae30/test.safetensors && -f base_seed0.safetensors ]] ||
  { echo "time_reference_preset.sh: run scripts/ablations.sh base_seed0 first" >&2; exit 1; }
mkdir -p slices

timed() {  # LABEL COMMAND...: wall seconds of one niced run
  local label=$1 start end
  shift
  start=$(date +%s.%N)
  nice -n 5 "$@" > "slices/${label// /_}.log" 2>&1
  end=$(date +%s.%N)
  printf '%s: %.1f s\n' "$label" "$(echo "$end - $start" | bc)"
}

# 640 generated training points (the base VAE and labeler): the slice the training stages run on.
[[ -f slices/data/train.safetensors ]] || nice -n 5 "$mxai" make-manifold-dataset --vae vae30.safetensors \
  --labeler data_vae30/labeler.safetensors --n-train 640 --n-test 100 --seed 0 --out slices/data --quiet

timed "SimpleNetV1 labeler, 1 epoch on 640 images (batch 64, constant Adam 1e-3)" \
  "$mxai" train-classifier --data slices/data --arch simplenet --epochs 1 --batch-size 64 --schedule constant \
  --out slices/simplenet.safetensors --quiet
timed "SimpleNetV1 forward on 2000 images (eval-classifier)" \
  "$mxai" eval-classifier --model slices/simplenet.safetensors --data data_vae30 --quiet
timed "adversarial LeNet, 1 epoch on 640 images (reference PGD: 100 whole-batch steps, batch 100)" \
  "$mxai" train-classifier --data slices/data --epochs 1 --batch-size 100 --optimizer sgd --lr 0.1 \
  --schedule multistep --lr-milestones 4 --adv-eps-choices 1,4,8 --adv-steps 100 --adv-whole-batch-norms \
  --adv-random-start --adv-attack-train-mode --adv-no-clamp --out slices/adversarial.safetensors --quiet
timed "five attribution methods on 100 points" \
  "$mxai" explain --model base_seed0.safetensors --data data_vae30 --n 100 --out slices/explain.safetensors --quiet
timed "TAIG on 5 points, 300 iterations" \
  "$mxai" taig --model base_seed0.safetensors --data data_vae30 --n 5 --iterations 300 --quiet
timed "Fashion-MNIST autoencoder, 1 epoch on 60000 images" \
  "$mxai" train-autoencoder --data fashion-mnist --epochs 1 --latent-dim 16 --out slices/autoencoder.safetensors --quiet
