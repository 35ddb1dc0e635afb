#!/usr/bin/env bash
# The main job end to end at toy size (`--preset smoke`): its stage cache, bit-identical reruns, runs that survive
# SIGKILL, and a full disk.
#   1. seed 0 into folder `run`: every stage runs; results.json has the documented keys; index.html and the figures
#      exist;
# Runs 2-5 stop at MNIST32 (--only mnist32 --no-taig): its five cached stages use every kind of cache decision and
# every writer the Fashion-MNIST half does, and the stage-cache unit tests cover the keys of all of them. They score
# 2 test points instead of 40 (--eval-points 2; no cached stage depends on it): run 1 checks the explanations.
#   2. seed 1 into `run`: no stage is reused, stderr says the seed changed, the log has one progress line per epoch;
#   3. seed 1 again: every stage is reused;
#   4. the same run into a fresh folder `k`, SIGKILLed three times (after 2 s; as soon as the first stage record
#      appears; one second into the stage after the fourth record, i.e. mid-training), then run to completion: the
#      same datasets section and the same .safetensors bytes as run 2, and no temporary file. Every stage of k was
#      computed by a process of its own, from scratch or resumed, so this is also the bit-identical rerun;
#   5. the generated training split truncated: its stage is recomputed with a message saying so; the two LeNets
#      trained on it are recomputed exactly when the recomputed file's bytes differ from the old ones (their keys
#      hold its hash);
#   6. a run into a tiny tmpfs (skipped with a message where mounting is not permitted): a clear error naming a file
#      and "No space left on device", and no half-written file.
# With --first-run-only (the sanitizer build) it stops after run 1's checks.
# Usage: cli_reproduce.sh MXAI JSON_SECTION [--first-run-only]
set -u
mxai="$1"
json_section="$2"
first_run_only="${3:-}"
work="$(mktemp -d)"
mounted=""
cleanup() {
  [ -n "$mounted" ] && umount "$mounted" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cached_stages=8  # VAE, labeler, MNIST32 generation, autoencoder, and a standard and an adversarial LeNet per data set
mnist32_stages=5  # VAE, labeler, MNIST32 generation, standard and adversarial LeNet
mnist32_seed1=(--seed 1 --no-taig --only mnist32 --eval-points 2)
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
temp_files() { find "$1" -name '*.tmp.*' | wc -l; }
datasets_of() { "$json_section" "$1/results.json" datasets seconds created; }

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
[ "$(temp_files "$work/run")" -eq 0 ] || fail "temporary files left behind"
if [ "$first_run_only" = --first-run-only ]; then
  echo "$failures failures (first run only)"
  [ "$failures" -eq 0 ]
  exit
fi

reproduce seed1 "${mnist32_seed1[@]}"
[ "$(reused_names | wc -l)" -eq 0 ] || fail "seed 1 reused seed-0 stages: $(reused_names | tr '\n' ';')"
grep -q '"seed": 1,' "$work/run/results.json" || fail "results.json does not record seed 1"
grep -qF '"evaluation points per data set": "2"' "$work/run/results.json" || fail "results.json does not record --eval-points 2"
grep -qF '[train VAE on the real digits] settings changed (seed 0 -> 1' "$work/seed1.txt" ||
  fail "seed 1: no message that the VAE's seed changed"
[ "$(grep -c ': recomputing$' "$work/seed1.txt")" -eq "$mnist32_stages" ] || fail "seed 1: not every stage said why it was recomputed"
# Progress in a log: a training epoch leaves one line, its final one ("epoch 1/1 5/5 ..."), not one per 10%.
epochs="$(grep -c '^epoch ' "$work/seed1.txt")"
complete="$(grep -cE '^epoch ([0-9]+)/[0-9]+ ([0-9]+)/\2 ' "$work/seed1.txt")"
[ "$epochs" -ge 4 ] || fail "seed 1: expected a progress line per epoch, found $epochs"
[ "$epochs" -eq "$complete" ] || fail "seed 1: $((epochs - complete)) of $epochs epoch lines are intermediate progress"
# What the uninterrupted run made, for run 4 to match.
mkdir "$work/uninterrupted"
datasets_of "$work/run" > "$work/uninterrupted/datasets.txt"
(cd "$work/run" && find mnist32 -name '*.safetensors' | sort) > "$work/uninterrupted/models.txt"
while IFS= read -r f; do
  mkdir -p "$work/uninterrupted/$(dirname "$f")" && cp "$work/run/$f" "$work/uninterrupted/$f"
done < "$work/uninterrupted/models.txt"

reproduce seed1_again "${mnist32_seed1[@]}"
[ "$(reused_names | wc -l)" -eq "$mnist32_stages" ] || fail "the identical seed-1 rerun reused only $(reused_names | wc -l) stages"
[ "$(grep -c 'reusing' "$work/seed1_again.txt")" -eq "$mnist32_stages" ] || fail "the identical rerun did not say 'reusing' for every stage"

# Run 4: starts a run into $work/k in the background and SIGKILLs it once `$1` (a shell condition) holds.
k_args=(reproduce --preset smoke "${mnist32_seed1[@]}" --threads 2 --quiet --out "$work/k")
kill_when() {
  "$mxai" "${k_args[@]}" >> "$work/k.txt" 2>&1 &
  local pid=$! waited=0
  until eval "$1"; do
    kill -0 "$pid" 2>/dev/null || { echo "the run ended before: $1"; wait "$pid"; return; }
    sleep 0.2
    waited=$((waited + 1))
  done
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null
  echo "killed when: $1 ($(records) stage records, $(temp_files "$work/k") temporary files)"
}
records() { find "$work/k" -name '*.stage.json' 2>/dev/null | wc -l; }
run=$((run + 1))
started=$SECONDS
kill_when '[ $((SECONDS - started)) -ge 2 ]'
kill_when '[ "$(records)" -ge 1 ]'
fourth_at=""
kill_when 'if [ "$(records)" -ge 4 ]; then fourth_at=${fourth_at:-$SECONDS}; [ $((SECONDS - fourth_at)) -ge 1 ]; else false; fi'
"$mxai" "${k_args[@]}" >> "$work/k.txt" 2>&1 || fail "the resumed run failed: $(tail -3 "$work/k.txt")"
echo "run $run (k, killed three times and resumed): $((SECONDS - started)) s"
[ "$(datasets_of "$work/k")" = "$(cat "$work/uninterrupted/datasets.txt")" ] ||
  fail "the resumed run's datasets section differs from run 2's"
[ -s "$work/uninterrupted/models.txt" ] || fail "run 2 wrote no .safetensors files"
(cd "$work/k" && find mnist32 -name '*.safetensors' | sort) | cmp -s - "$work/uninterrupted/models.txt" ||
  fail "the resumed run wrote a different set of model files than run 2"
while IFS= read -r f; do
  cmp -s "$work/uninterrupted/$f" "$work/k/$f" || fail "$f differs between run 2 and the resumed run"
done < "$work/uninterrupted/models.txt"
echo "$(wc -l < "$work/uninterrupted/models.txt") .safetensors files compared with run 2"
[ "$(temp_files "$work/k")" -eq 0 ] || fail "temporary files left after the resumed run: $(find "$work/k" -name '*.tmp.*')"

# Run 5: the generated training split; both LeNets depend on it (their keys hold its hash).
split="$work/run/mnist32/data/train.safetensors"
cp "$split" "$work/split.before"
head -c 4096 "$work/split.before" > "$split"
reproduce truncated "${mnist32_seed1[@]}"
grep -qF "[generate MNIST32] $split is truncated or corrupted (4096 bytes, recorded" "$work/truncated.txt" ||
  fail "no message about the truncated split: $(grep '^\[generate MNIST32' "$work/truncated.txt")"
reused_names | grep -q 'generate MNIST32' && fail "the truncated split was reused"
[ "$(wc -c < "$split")" -eq "$(wc -c < "$work/split.before")" ] || fail "the recomputed split has $(wc -c < "$split") bytes"
if cmp -s "$split" "$work/split.before"; then
  # Deterministic generation: the same bytes again, so the stages that read the split stay valid.
  [ "$(reused_names | tr '\n' ';')" = "train VAE on the real digits;train the labeler;train standard LeNet on mnist32;train adversarial LeNet on mnist32;" ] ||
    fail "the split came back byte-identical, yet not every other stage was reused: $(reused_names | tr '\n' ';')"
  echo "the recomputed split is byte-identical to the old one: its dependents were reused"
else
  reused_names | grep -q 'LeNet' && fail "the split changed, yet a LeNet trained on it was reused"
  grep -qF '[train standard LeNet on mnist32] settings changed (input mnist32/data/train.safetensors' "$work/truncated.txt" ||
    fail "no message that the standard LeNet's input changed"
  echo "the recomputed split differs from the old one: the LeNets were recomputed"
fi
[ "$(temp_files "$work/run")" -eq 0 ] || fail "temporary files left behind"

# 6. A full disk: 1 MB, less than the first stage's model file (the VAE, about 1.9 MB in the smoke preset).
mkdir -p "$work/full"
if mount -t tmpfs -o size=1m mxai-full "$work/full" 2>/dev/null; then
  mounted="$work/full"
  if "$mxai" reproduce --preset smoke "${mnist32_seed1[@]}" --threads 2 --quiet --out "$work/full/run" > "$work/full.txt" 2>&1; then
    fail "a run into a 1 MB tmpfs succeeded"
  else
    grep -q "No space left on device" "$work/full.txt" || fail "no 'No space left on device' in: $(tail -2 "$work/full.txt")"
    grep -q "cannot write '$work/full/run/" "$work/full.txt" || fail "the error names no output file: $(tail -2 "$work/full.txt")"
    [ "$(temp_files "$work/full")" -eq 0 ] || fail "temporary files left on the full disk"
    # Whatever was written is whole: each model file it left reads back (info parses the safetensors file).
    while IFS= read -r f; do
      "$mxai" info --file "$f" > /dev/null 2>&1 || fail "damaged output on the full disk: $f"
    done < <(find "$work/full" -name '*.safetensors')
    echo "full disk: $(grep -m1 'No space' "$work/full.txt")"
  fi
else
  echo "SKIP: the full-disk check needs permission to mount a tmpfs"
fi

echo "$failures failures"
[ "$failures" -eq 0 ]
