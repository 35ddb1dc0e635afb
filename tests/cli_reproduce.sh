#!/usr/bin/env bash
# The main job end to end at toy size (`--preset smoke`) and its stage cache, all in one output folder:
#   1. seed 0: every stage runs; results.json has the documented keys; index.html and the figures exist;
#   2. seed 1, MNIST32 only: no stage is reused, stderr says the seed changed, and the log has one progress line
#      per epoch;
#   3. seed 1 again: every stage that writes files is reused;
# Runs 2-4 stop at MNIST32 (--only mnist32 --no-taig): its five cached stages use every kind of cache decision the
# Fashion-MNIST half does, and the stage-cache unit tests cover the keys of all of them.
#   4. one stage file (the labeler) truncated: that stage is recomputed with a message saying so; its dependents are
#      recomputed exactly when the recomputed file's bytes differ from the old ones (their keys hold its hash);
# and nothing temporary is left behind. With --first-run-only (the sanitizer build) it stops after run 1's checks.
set -u
mxai="$1"
json_section="$2"
first_run_only="${3:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cached_stages=8  # VAE, labeler, MNIST32 generation, autoencoder, and a standard and an adversarial LeNet per data set
mnist32_stages=5  # VAE, labeler, MNIST32 generation, standard and adversarial LeNet
run=0
reproduce() {  # reproduce LOG-NAME args...: one run into $work/run, timed
  local name="$1"; shift
  run=$((run + 1))
  local start=$SECONDS
  "$mxai" reproduce --preset smoke --out "$work/run" --threads 2 "$@" > "$work/$name.txt" 2>&1 ||
    fail "run $run ($name) exited non-zero: $(tail -5 "$work/$name.txt")"
  echo "run $run ($name, $*): $((SECONDS - start)) s, $(reused_names | wc -l) stages reused"
}
# The stages results.json marks as reused, one name a line.
reused_names() { grep -o '"name": "[^"]*", "seconds": [^,]*, "reused": true' "$work/run/results.json" | cut -d'"' -f4; }

reproduce first --quiet
for f in results.json index.html mnist32/examples_standard.png fashion-mnist/taig_examples.png mnist32/vae_samples.png; do
  [ -s "$work/run/$f" ] || fail "missing $f"
done
for key in '"datasets"' '"mnist32"' '"fashion-mnist"' '"random_baseline"' '"standard"' '"adversarial"' \
           '"gradient"' '"input_x_gradient"' '"integrated_gradients"' '"integrated_gradients_path"' '"smoothgrad"' \
           '"taig"' '"ig_zero"' '"ig_uniform"' '"ig_max_distance"' '"ig_gaussian"' '"ig_optimal"' '"median"' '"q25"' \
           '"gradcam"' '"guided_backprop"' '"guided_gradcam"' '"gradient_shap"' '"deeplift"' '"occlusion"' \
           '"latent_ig"' '"faithfulness"' '"infidelity"' '"sensitivity_max"' '"deletion_auc"' '"insertion_auc"'; do
  grep -qF -- "$key" "$work/run/results.json" || fail "results.json lacks $key"
done
grep -q "<svg" "$work/run/index.html" || fail "index.html has no plot"
[ "$(reused_names | wc -l)" -eq 0 ] || fail "the first run reused stages"
[ "$(find "$work/run" -name '*.stage.json' | wc -l)" -eq "$cached_stages" ] || fail "expected $cached_stages stage records"
if [ "$first_run_only" = --first-run-only ]; then
  [ "$(find "$work/run" -name '*.tmp*' | wc -l)" -eq 0 ] || fail "temporary files left behind"
  echo "$failures failures (first run only)"
  [ "$failures" -eq 0 ]
  exit
fi

reproduce seed1 --seed 1 --no-taig --only mnist32
[ "$(reused_names | wc -l)" -eq 0 ] || fail "seed 1 reused seed-0 stages: $(reused_names | tr '\n' ';')"
grep -q '"seed": 1,' "$work/run/results.json" || fail "results.json does not record seed 1"
grep -qF '[train VAE on the real digits] settings changed (seed 0 -> 1' "$work/seed1.txt" ||
  fail "seed 1: no message that the VAE's seed changed"
[ "$(grep -c ': recomputing$' "$work/seed1.txt")" -eq "$mnist32_stages" ] || fail "seed 1: not every stage said why it was recomputed"
# Progress in a log: a training epoch leaves one line, its final one ("epoch 1/1 5/5 ..."), not one per 10%.
epochs="$(grep -c '^epoch ' "$work/seed1.txt")"
complete="$(grep -cE '^epoch ([0-9]+)/[0-9]+ ([0-9]+)/\2 ' "$work/seed1.txt")"
[ "$epochs" -ge 4 ] || fail "seed 1: expected a progress line per epoch, found $epochs"
[ "$epochs" -eq "$complete" ] || fail "seed 1: $((epochs - complete)) of $epochs epoch lines are intermediate progress"

reproduce seed1_again --seed 1 --no-taig --only mnist32
[ "$(reused_names | wc -l)" -eq "$mnist32_stages" ] || fail "the identical seed-1 rerun reused only $(reused_names | wc -l) stages"
[ "$(grep -c 'reusing' "$work/seed1_again.txt")" -eq "$mnist32_stages" ] || fail "the identical rerun did not say 'reusing' for every stage"

# The labeler: three stages depend on it (the MNIST32 generation and, through the data, both LeNets).
labeler="$work/run/mnist32/labeler.safetensors"
cp "$labeler" "$work/labeler.before"
head -c 4096 "$work/labeler.before" > "$labeler"
reproduce truncated --seed 1 --no-taig --only mnist32
grep -qF "[train the labeler] $labeler is truncated or corrupted (4096 bytes, recorded" "$work/truncated.txt" ||
  fail "no message about the truncated labeler: $(grep '^\[train the labeler' "$work/truncated.txt")"
reused_names | grep -q 'labeler' && fail "the truncated labeler was reused"
[ "$(wc -c < "$labeler")" -eq "$(wc -c < "$work/labeler.before")" ] || fail "the recomputed labeler has $(wc -c < "$labeler") bytes"
if cmp -s "$labeler" "$work/labeler.before"; then
  # Deterministic training: the same bytes again, so the stages that read the labeler stay valid.
  [ "$(reused_names | tr '\n' ';')" = "train VAE on the real digits;generate MNIST32;train standard LeNet on mnist32;train adversarial LeNet on mnist32;" ] ||
    fail "the labeler came back byte-identical, yet not every other stage was reused: $(reused_names | tr '\n' ';')"
  echo "the recomputed labeler is byte-identical to the old one: its dependents were reused"
else
  # New bytes: the generation must run again (the LeNets then follow the bytes of the data it writes).
  reused_names | grep -q 'generate MNIST32' && fail "the labeler changed, yet the MNIST32 generation was reused"
  grep -qF '[generate MNIST32] settings changed (input mnist32/labeler.safetensors' "$work/truncated.txt" ||
    fail "no message that the generation's input changed"
  echo "the recomputed labeler differs from the old one: the generation was recomputed"
fi

leftovers="$(find "$work/run" -name '*.tmp*' | wc -l)"
[ "$leftovers" -eq 0 ] || fail "temporary files left behind"

echo "$failures failures"
[ "$failures" -eq 0 ]
