#!/usr/bin/env bash
# The ablation of docs/fidelity.md: which of our deviations from the reference code moves the standard LeNet's
# gradient tangent fraction on MNIST32 (ours 0.705, the reference notebook 0.312)? Each row trains one model
# through the `mxai` CLI, explains the same 2,000 generated test points (`mxai explain`) and scores them
# (build/examples/fidelity_score: mean, 95% bootstrap interval, paired difference to the baseline row).
#
#   bash scripts/ablations.sh [ROW ...]     # no ROW: every row, in the order below (cheap ones first)
#
# Rows are resumable: a finished row leaves DIR/<row>.result and is skipped next time (delete it to rerun).
# DIR is $ABLATIONS_DIR or runs/ablations. Everything runs niced, one thing at a time, on one OpenMP thread unless
# $OMP_NUM_THREADS says otherwise (on a shared, oversubscribed machine two spinning threads cost twice the CPU
# time); the seeds are fixed, so the same thread count reproduces the numbers.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mxai="${MXAI:-$root/build/apps/mxai}"
score="${FIDELITY_SCORE:-$root/build/examples/fidelity_score}"
dir="${ABLATIONS_DIR:-$root/runs/ablations}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
mkdir -p "$dir"
cd "$dir"
for tool in "$mxai" "$score"; do
  [[ -x "$tool" ]] || { echo "ablations.sh: $tool is missing; build the mxai and fidelity_score targets" >&2; exit 1; }
done

run() { echo "+ $*" >&2; nice -n 5 "$@"; }

# ---------------------------------------------------------------- data: VAEs, labelers, generated MNIST32
# The baseline is the quick preset's data: VAE 30 epochs (anneal 1,000 steps), LeNet labeler 3 epochs, 20,000
# training / 2,000 test points, seed 0. The 60,000-point set shares its VAE, labeler and test split (the test split
# is drawn from its own stream, seed + 1), so its classifiers are scored on the same 2,000 points.
vae() {  # NAME EPOCHS ANNEAL
  [[ -f "$1.safetensors" ]] || run "$mxai" train-vae --data mnist --epochs "$2" --anneal-steps "$3" --seed 0 \
    --out "$1.safetensors" --figures none --quiet
}
data() {  # DIR VAE N_TRAIN LABELER-FLAGS...
  local out=$1 vae_file=$2 n=$3
  shift 3
  [[ -f "$out/test.safetensors" ]] || run "$mxai" make-manifold-dataset --vae "$vae_file.safetensors" --n-train "$n" \
    --n-test 2000 --seed 0 --out "$out" --quiet "$@"
}
base_data() { vae vae30 30 1000 && data data_vae30 vae30 20000 --labeler-epochs 3; }

# ---------------------------------------------------------------- one row
# score_model NAME FACTOR MODEL DATA TRAIN-DATA SETTINGS START [PAIRED-EXPLANATIONS]: evaluates and explains the
# classifier MODEL.safetensors at DATA's first 2,000 test points, scores the explanations (paired with the given
# file, if any) and writes NAME.result, one tab-separated line of the table.
score_model() {
  local name=$1 factor=$2 model=$3 eval_data=$4 train_data=$5 settings=$6 start=$7
  shift 7
  run "$mxai" eval-classifier --model "$model.safetensors" --data "$eval_data" --split test --quiet > "$name.eval.log"
  run "$mxai" explain --model "$model.safetensors" --data "$eval_data" --n 2000 --methods gradient \
    --out "$name.explain.safetensors" --quiet > "$name.explain.log"
  local scored accuracy
  scored=$("$score" "$name.explain.safetensors" "$@")
  accuracy=$(sed -n 's/.*accuracy \([0-9.]*\)%.*/\1/p' "$name.eval.log")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$factor" "$eval_data" "$train_data" "$settings" \
    "$scored acc $accuracy" "$((SECONDS - start))" > "$name.result.tmp"
  mv "$name.result.tmp" "$name.result"
  echo "$name: $(cat "$name.result")" >&2
}

# row NAME FACTOR DATA TRAIN-DATA -- TRAIN-CLASSIFIER-FLAGS...: trains, explains DATA's test split, scores.
# TRAIN-DATA is what the classifier trains on (a generated data directory, or `mnist` for the real digits).
# The paired difference is taken against base_seed0 on the baseline's data, against $paired_with elsewhere if set.
row() {
  local name=$1 factor=$2 eval_data=$3 train_data=$4
  shift 5
  [[ -f "$name.result" ]] && { echo "$name: done ($(cat "$name.result"))" >&2; return; }
  local start=$SECONDS
  run "$mxai" train-classifier --data "$train_data" --image-size 32 --out "$name.safetensors" --quiet "$@" \
    > "$name.train.log"
  local baseline=()
  [[ "$eval_data" == data_vae30 && "$name" != base_seed0 ]] && baseline=(base_seed0.explain.safetensors)
  [[ -n "${paired_with:-}" ]] && baseline=("$paired_with.explain.safetensors")
  score_model "$name" "$factor" "$name" "$eval_data" "$train_data" "$(sed -n 's/^settings: //p' "$name.train.log")" \
    "$start" "${baseline[@]}"
}

# cross NAME FACTOR MODEL-ROW DATA PAIRED-ROW: the classifier of MODEL-ROW explained at DATA's test points, paired
# with PAIRED-ROW's explanations of the same points. It separates a factor's effect on the classifier from its
# effect on where the fraction is measured (the manifold and its points).
cross() {
  local name=$1 factor=$2 model=$3 eval_data=$4 paired=$5
  [[ -f "$name.result" ]] && { echo "$name: done ($(cat "$name.result"))" >&2; return; }
  local train_data
  train_data=$(sed -n 's/^training [a-z0-9]* on \([^:]*\):.*/\1/p' "$model.train.log")
  score_model "$name" "$factor" "$model" "$eval_data" "$train_data" "the classifier of row $model" "$SECONDS" \
    "$paired.explain.safetensors"
}

# The quick preset's standard LeNet: Adam 1e-3, batch 128, cosine, 4 epochs.
quick=(--epochs 4 --batch-size 128 --schedule cosine)
# The reference's: Adam 1e-3, batch 32, StepLR(10, 0.1), 50 epochs.
reference=(--epochs 50 --batch-size 32 --schedule step --lr-step 10 --lr-gamma 0.1)
# The reference's l2-robust training (spec 2.5), all but its length: SGD 0.1, MultiStepLR [4], batch 100, eps drawn
# per batch from {1, 4, 8}, 100 PGD steps with whole-batch norms from a uniform start at eps/2, train mode, no clamp.
reference_robust=(--optimizer sgd --lr 0.1 --schedule multistep --lr-milestones 4 --lr-gamma 0.1 --batch-size 100
                  --adv-eps-choices 1,4,8 --adv-steps 100 --adv-whole-batch-norms --adv-random-start
                  --adv-attack-train-mode --adv-no-clamp)

rows_in_order=(base_seed0 base_seed1 base_seed2 epochs1 real_digits epochs15 steps_5k_16epochs steps_20k_12epochs
               steps_60k_4epochs vae200_anneal10000 vae400_anneal10000 reference_schedule_50epochs epochs50
               reference_schedule_15epochs labeler_simplenet labeler_simplenet_at_base_points
               vae200_classifier_at_base_points base_classifier_at_vae200_points base_classifier_at_vae400_points
               combined_vae200_simplenet
               combined_vae200_simplenet_reference_schedule robust_reference_attack_1epoch)

do_row() {
  case "$1" in
    base_seed0) base_data; row base_seed0 "baseline (quick preset), seed 0" data_vae30 data_vae30 -- "${quick[@]}" --seed 0 ;;
    base_seed1) base_data; row base_seed1 "seed spread" data_vae30 data_vae30 -- "${quick[@]}" --seed 1 ;;
    base_seed2) base_data; row base_seed2 "seed spread" data_vae30 data_vae30 -- "${quick[@]}" --seed 2 ;;
    epochs1) base_data; row epochs1 "training length" data_vae30 data_vae30 -- --epochs 1 --batch-size 128 --seed 0 ;;
    epochs15) base_data; row epochs15 "training length" data_vae30 data_vae30 -- --epochs 15 --batch-size 128 --seed 0 ;;
    epochs50) base_data; row epochs50 "training length" data_vae30 data_vae30 -- --epochs 50 --batch-size 128 --seed 0 ;;
    reference_schedule_15epochs)
      base_data; row reference_schedule_15epochs "batch 32 + StepLR" data_vae30 data_vae30 -- \
        --epochs 15 --batch-size 32 --schedule step --lr-step 10 --seed 0 ;;
    reference_schedule_50epochs)
      base_data; row reference_schedule_50epochs "batch 32 + StepLR (the reference's)" data_vae30 data_vae30 -- \
        "${reference[@]}" --seed 0 ;;
    steps_5k_16epochs)
      # 5,000 points for 16 epochs: about the baseline's steps of 128 (640 against 628) on a quarter of its data.
      base_data; data data_vae30_5k vae30 5000 --labeler data_vae30/labeler.safetensors
      row steps_5k_16epochs "training-set size at equal steps" data_vae30 data_vae30_5k -- \
        --epochs 16 --batch-size 128 --seed 0 ;;
    steps_20k_12epochs)
      base_data; row steps_20k_12epochs "training-set size at equal steps" data_vae30 data_vae30 -- \
        --epochs 12 --batch-size 128 --seed 0 ;;
    steps_60k_4epochs)
      base_data; data data_vae30_60k vae30 60000 --labeler data_vae30/labeler.safetensors
      row steps_60k_4epochs "training-set size at equal steps" data_vae30 data_vae30_60k -- "${quick[@]}" --seed 0 ;;
    real_digits)
      base_data; row real_digits "real vs generated training data" data_vae30 mnist -- "${quick[@]}" --seed 0 ;;
    labeler_simplenet)
      # The reference's labeler: SimpleNetV1 with BatchNorm, Adam 1e-3 constant, batch 64, 5 epochs.
      base_data
      data data_vae30_simplenet vae30 20000 --labeler-arch simplenet --labeler-epochs 5 --labeler-batch-size 64 \
        --labeler-schedule constant
      row labeler_simplenet "labeler" data_vae30_simplenet data_vae30_simplenet -- "${quick[@]}" --seed 0 ;;
    vae200_anneal10000)
      vae vae200 200 10000
      data data_vae200 vae200 20000 --labeler-epochs 3
      row vae200_anneal10000 "VAE training length" data_vae200 data_vae200 -- "${quick[@]}" --seed 0 ;;
    labeler_simplenet_at_base_points)
      do_row labeler_simplenet; do_row base_seed0
      cross labeler_simplenet_at_base_points "labeler (its classifier at the baseline's points)" labeler_simplenet \
        data_vae30 base_seed0 ;;
    vae200_classifier_at_base_points)
      do_row vae200_anneal10000; do_row base_seed0
      cross vae200_classifier_at_base_points "VAE training length (its classifier at the baseline's points)" \
        vae200_anneal10000 data_vae30 base_seed0 ;;
    base_classifier_at_vae200_points)
      do_row vae200_anneal10000; do_row base_seed0
      cross base_classifier_at_vae200_points "VAE training length (the baseline's classifier at its points)" \
        base_seed0 data_vae200 vae200_anneal10000 ;;
    base_classifier_at_vae400_points)
      do_row vae400_anneal10000; do_row base_seed0
      cross base_classifier_at_vae400_points "VAE training length (the baseline's classifier at its points)" \
        base_seed0 data_vae400 vae400_anneal10000 ;;
    robust_reference_attack_1epoch)
      # One epoch (200 steps) of the reference's 15 on 60,000 points (9,000 steps): 17 h of CPU in full.
      base_data; row robust_reference_attack_1epoch "l2-robust LeNet, the reference's attack" data_vae30 data_vae30 \
        -- "${reference_robust[@]}" --epochs 1 --seed 0 ;;
    combined_vae200_simplenet)
      # The three factors that moved the mean most, together: the longer-trained VAE, the reference's labeler,
      # and (next row) the reference's classifier schedule.
      vae vae200 200 10000
      data data_vae200_simplenet vae200 20000 --labeler-arch simplenet --labeler-epochs 5 --labeler-batch-size 64 \
        --labeler-schedule constant
      row combined_vae200_simplenet "VAE 200 epochs + SimpleNetV1 labeler" data_vae200_simplenet \
        data_vae200_simplenet -- "${quick[@]}" --seed 0 ;;
    combined_vae200_simplenet_reference_schedule)
      do_row combined_vae200_simplenet
      paired_with=combined_vae200_simplenet row combined_vae200_simplenet_reference_schedule \
        "VAE 200 epochs + SimpleNetV1 labeler + the reference's schedule" data_vae200_simplenet \
        data_vae200_simplenet -- "${reference[@]}" --seed 0 ;;
    vae400_anneal10000)
      # The reference's VAE training length (400 epochs; its batch 64 and rate 5e-4 are other rows' business).
      vae vae400 400 10000
      data data_vae400 vae400 20000 --labeler-epochs 3
      row vae400_anneal10000 "VAE training length" data_vae400 data_vae400 -- "${quick[@]}" --seed 0 ;;
    *) echo "ablations.sh: unknown row '$1' (known: ${rows_in_order[*]})" >&2; exit 1 ;;
  esac
}

if (($# == 0)); then set -- "${rows_in_order[@]}"; fi
for r in "$@"; do do_row "$r"; done

# The table of every finished row, for docs/fidelity.md.
{
  printf 'row\tfactor\tevaluated on\ttrained on\tsettings\tscore\tseconds\n'
  for r in "${rows_in_order[@]}"; do [[ -f "$r.result" ]] && cat "$r.result"; done
} > table.tsv.tmp
mv table.tsv.tmp table.tsv
echo "wrote $dir/table.tsv" >&2
