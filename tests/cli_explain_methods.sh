#!/usr/bin/env bash
# `mxai explain` with every method of issue 16 on a tiny generated split, end to end through the command line:
#   a 32x32 IDX data set of 96 noise images -> train-vae (1 epoch, k = 3) -> make-manifold-dataset (48 / 6 points)
#   -> train-classifier (LeNet, 1 epoch) -> explain --methods gradcam,...,latent_ig;
# the output holds attributions.<method> (N,1,32,32), tangent_fraction.<method> and the four faithfulness metrics for
# every method; latent_ig without a decoder and gradcam at a layer LeNet lacks fail with an error naming them and
# write nothing. The images are noise: this checks the wiring, not what the methods find.
set -u
mxai="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
run() {  # run LOG args...: a step that must succeed
  local log="$1"; shift
  "$mxai" "$@" > "$work/$log.txt" 2>&1 || { fail "mxai $* exited non-zero: $(tail -3 "$work/$log.txt")"; exit 1; }
}

# IDX files (big-endian header, then bytes): pixels from a fixed LCG, labels 0..9 in turn.
idx_images() {  # idx_images PATH N
  { printf '\x00\x00\x08\x03'; printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' 0 0 0 "$2")"
    printf '\x00\x00\x00\x20\x00\x00\x00\x20'
    LC_ALL=C awk -v n="$(( $2 * 1024 ))" 'BEGIN { s = 7; for (i = 0; i < n; i++) { s = (s * 1103 + 12345) % 65536; printf "%c", int(s / 256) } }'
  } > "$1"
}
idx_labels() {  # idx_labels PATH N
  { printf '\x00\x00\x08\x01'; printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' 0 0 0 "$2")"
    LC_ALL=C awk -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%c", i % 10 }'
  } > "$1"
}
mkdir -p "$work/idx"
idx_images "$work/idx/train-images-idx3-ubyte" 96
idx_labels "$work/idx/train-labels-idx1-ubyte" 96
idx_images "$work/idx/t10k-images-idx3-ubyte" 32
idx_labels "$work/idx/t10k-labels-idx1-ubyte" 32

start=$SECONDS
run vae train-vae --data "idx:$work/idx" --epochs 1 --latent-dim 3 --figures none --quiet --out "$work/vae.safetensors"
run split make-manifold-dataset --vae "$work/vae.safetensors" --labeler-data "idx:$work/idx" --labeler-epochs 1 \
  --n-train 48 --n-test 6 --batch-size 256 --quiet --out "$work/split"
run lenet train-classifier --data "$work/split" --epochs 1 --quiet --out "$work/lenet.safetensors"
echo "tiny split and LeNet: $((SECONDS - start)) s"

methods=gradcam,guided_backprop,guided_gradcam,gradient_shap,deeplift,occlusion,latent_ig
start=$SECONDS
run explain explain --model "$work/lenet.safetensors" --data "$work/split" --vae "$work/vae.safetensors" \
  --methods "$methods" --faithfulness-points 2 --quiet --out "$work/explained.safetensors"
echo "explain: $((SECONDS - start)) s"
"$mxai" info --file "$work/explained.safetensors" > "$work/info.txt" 2>&1 || fail "mxai info cannot read the output"
for m in ${methods//,/ }; do
  grep -qE "attributions\.$m +F32 +\(6,1,32,32\)" "$work/info.txt" ||
    fail "no attributions.$m of shape (6,1,32,32): $(grep "attributions.$m" "$work/info.txt")"
  for key in tangent_fraction infidelity sensitivity_max deletion_auc insertion_auc; do
    grep -q "$key\.$m " "$work/info.txt" || fail "no $key.$m in the output"
  done
  grep -q "^$m " "$work/explain.txt" || fail "explain printed no tangent fraction row for $m"
done

expect_failure() {  # expect_failure "message part" args...: exits non-zero, says it, writes no $work/bad.safetensors
  local want="$1"; shift
  if "$mxai" "$@" > "$work/bad.txt" 2>&1; then fail "mxai $* succeeded"; fi
  grep -qF -- "$want" "$work/bad.txt" || fail "mxai $*: message lacks '$want': $(tail -2 "$work/bad.txt")"
  [ ! -e "$work/bad.safetensors" ] || fail "mxai $* left its output behind"
}
expect_failure "latent_ig needs a decoder" explain --model "$work/lenet.safetensors" --data "idx:$work/idx" \
  --methods latent_ig --quiet --out "$work/bad.safetensors"
expect_failure "Grad-CAM cannot cut a LeNet at layer 'fc1' (layers it allows: conv1, conv2)" explain \
  --model "$work/lenet.safetensors" --data "$work/split" --methods gradcam --gradcam-layer fc1 --quiet \
  --out "$work/bad.safetensors"

echo "$failures failures"
[ "$failures" -eq 0 ]
