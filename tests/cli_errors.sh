#!/usr/bin/env bash
# Bad input to the mxai command line: each case must exit non-zero, say what is wrong, and write nothing.
set -u
mxai="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
total=0

expect_failure() {  # expect_failure "what the message must contain" args...
  total=$((total + 1))
  local want="$1"; shift
  local out rc
  out="$("$mxai" "$@" 2>&1)"; rc=$?
  if [ "$rc" -eq 0 ]; then echo "FAIL (exit 0): mxai $*"; failures=$((failures + 1)); return; fi
  if ! grep -qiF -- "$want" <<<"$out"; then
    echo "FAIL (message lacks '$want'): mxai $*"; echo "  got: $out"; failures=$((failures + 1))
  fi
}

expect_failure "unknown command" no-such-command
expect_failure "unknown option --bogus" train-classifier --bogus 1
expect_failure "expects an integer" train-classifier --epochs many --out "$work/m.safetensors"
expect_failure "--out" train-classifier --data fashion-mnist
expect_failure "known" train-classifier --data no-such-data --out "$work/m.safetensors"
expect_failure "$work/missing.safetensors" info --file "$work/missing.safetensors"
printf 'not a safetensors file' > "$work/bad.safetensors"
expect_failure "$work/bad.safetensors" info --file "$work/bad.safetensors"
expect_failure "$work/bad.safetensors" eval-classifier --model "$work/bad.safetensors"
printf '\x10\x00\x00\x00\x00\x00\x00\x00{"a":' > "$work/json.safetensors"
expect_failure "$work/json.safetensors" info --file "$work/json.safetensors"

expect_failure "unknown preset 'bogus'" reproduce --preset bogus --out "$work/r"
expect_failure "--only must be" reproduce --only cifar --out "$work/r"
expect_failure "unknown attribution method 'saliency'" explain --model "$work/bad.safetensors" --data mnist --methods saliency --out "$work/e.safetensors"
expect_failure "$work/bad.safetensors" taig --model "$work/bad.safetensors" --data mnist
expect_failure "--fractions: 'abc' is not a number" roar --model "$work/bad.safetensors" --data mnist --fractions 0,abc --out "$work/e.safetensors"
expect_failure "the fractions must start at 0" roar --model "$work/bad.safetensors" --data mnist --fractions 0.5,0.9 --out "$work/e.safetensors"
expect_failure "the fractions must increase within [0, 1]" roar --model "$work/bad.safetensors" --data mnist --fractions 0,0.5,0.4 --out "$work/e.safetensors"
expect_failure "is not a generated data set" roar --model "$work/bad.safetensors" --data mnist --out "$work/e.safetensors"
expect_failure "--out" train-vae --data mnist
expect_failure "$work/missing.safetensors" make-manifold-dataset --vae "$work/missing.safetensors" --out "$work/generated"
expect_failure "$work/bad.safetensors" tangent-space --vae "$work/bad.safetensors" --data "$work/bad.safetensors"
expect_failure "known" train-autoencoder --data no-such-data --out "$work/m.safetensors"
[ -e "$work/generated/train.safetensors" ] && { echo "FAIL: make-manifold-dataset left a split behind"; failures=$((failures + 1)); }

# Numbers that cannot be right: refused while the command line is parsed, before any data is read, with the
# option, the allowed range and the value.
expect_failure "--target-mu must be a finite number in (0, 1], got '7'" taig --model "$work/missing.safetensors" --data mnist --target-mu 7
expect_failure "--epochs must be an integer >= 1, got '0'" train-classifier --epochs 0 --out "$work/m.safetensors"
expect_failure "--lr must be a finite number > 0, got 'nan'" train-autoencoder --lr nan --out "$work/m.safetensors"
expect_failure "--batch-size must be an integer >= 1, got '-5'" train-classifier --batch-size=-5 --out "$work/m.safetensors"
expect_failure "unknown learning-rate schedule 'weekly'" train-classifier --schedule weekly --out "$work/m.safetensors"
expect_failure "--adv-eps-choices expects a number, got 'x'" train-classifier --adv-eps-choices 1,x --out "$work/m.safetensors"
expect_failure "adversarial radii must be positive, got -4" train-classifier --adv-eps-choices 1,-4 --out "$work/m.safetensors"
expect_failure "--lr-milestones must list whole epochs" train-classifier --schedule multistep --lr-milestones 4.5 --out "$work/m.safetensors"
expect_failure "--threads must be an integer in [0, 1024], got '2000'" reproduce --threads 2000 --out "$work/r"
expect_failure "--seed must be an integer >= 0, got '-1'" reproduce --seed=-1 --out "$work/r"
[ -e "$work/r" ] && { echo "FAIL: reproduce with a bad option created its output folder"; failures=$((failures + 1)); }
expect_failure "--smoothgrad-stdev must be a finite number >= 0, got '1e999'" explain --model "$work/missing.safetensors" --data mnist --smoothgrad-stdev 1e999 --out "$work/e.safetensors"

# Safetensors files the reference implementation rejects, and model files holding NaN.
safetensors() {  # safetensors PATH HEADER DATA (a printf format): the 8-byte length, the header, the data
  local n=${#2}
  printf "$(printf '\\x%02x\\x%02x\\x00\\x00\\x00\\x00\\x00\\x00' $((n & 255)) $((n >> 8)))" > "$1"
  printf '%s' "$2" >> "$1"
  printf "$3" >> "$1"
}
zeros24='\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'
safetensors "$work/overlap.safetensors" '{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}' "$zeros24"
expect_failure "tensor 'b': data_offsets [8, 24] overlap tensor 'a' [0, 16]" info --file "$work/overlap.safetensors"
safetensors "$work/nan.safetensors" '{"__metadata__":{"arch":"lenet","in_channels":"1","height":"8","width":"8","num_classes":"3"},"conv1.bias":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}' '\x00\x00\xc0\x7f'
expect_failure "$work/nan.safetensors': tensor 'conv1.bias' (1) holds NaN" eval-classifier --model "$work/nan.safetensors" --data mnist

# Training that diverges stops, naming what was trained, the epoch and the batch, and saves nothing. The data: a
# generated split of four 8x8 images (the format make-manifold-dataset writes), the same file as train and test.
split_header='{"__metadata__":{"format":"mxai-manifold-split","n":"4","k":"1","d":"64","num_classes":"2"},"images":{"dtype":"F32","shape":[4,1,8,8],"data_offsets":[0,1024]},"labels":{"dtype":"I64","shape":[4],"data_offsets":[1024,1056]},"z":{"dtype":"F32","shape":[4,1],"data_offsets":[1056,1072]}}'
mkdir -p "$work/tiny"
safetensors "$work/tiny/train.safetensors" "$split_header" ''
for i in $(seq 256); do printf '\x00\x00\x00\x3f' >> "$work/tiny/train.safetensors"; done  # pixels 0.5
printf '\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00' >> "$work/tiny/train.safetensors"  # labels 0 1
printf '\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00' >> "$work/tiny/train.safetensors"  # labels 0 1
head -c 16 /dev/zero >> "$work/tiny/train.safetensors"  # z
cp "$work/tiny/train.safetensors" "$work/tiny/test.safetensors"
expect_failure "training lenet on $work/tiny/train.safetensors diverged: the loss is" train-classifier --data "$work/tiny" --lr 1e38 --batch-size 1 --epochs 2 --quiet --out "$work/m.safetensors"
expect_failure "diverged: the loss is" demo --lr 1e38 --steps 50 --quiet

leftovers="$(find "$work" -name 'm.safetensors*' -o -name 'e.safetensors*' -o -name 'results.json*' | wc -l)"
if [ "$leftovers" -ne 0 ]; then echo "FAIL: a failed run left output files behind"; failures=$((failures + 1)); fi

echo "$((total - failures)) of $total passed, $failures failed"
[ "$failures" -eq 0 ]
