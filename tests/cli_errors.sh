#!/usr/bin/env bash
# Bad input to the mxai command line: each case must exit non-zero, say what is wrong, and write nothing.
set -u
mxai="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

expect_failure() {  # expect_failure "what the message must contain" args...
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
expect_failure "--out" train-vae --data mnist
expect_failure "$work/missing.safetensors" make-manifold-dataset --vae "$work/missing.safetensors" --out "$work/generated"
expect_failure "$work/bad.safetensors" tangent-space --vae "$work/bad.safetensors" --data "$work/bad.safetensors"
expect_failure "known" train-autoencoder --data no-such-data --out "$work/m.safetensors"
[ -e "$work/generated/train.safetensors" ] && { echo "FAIL: make-manifold-dataset left a split behind"; failures=$((failures + 1)); }

leftovers="$(find "$work" -name 'm.safetensors*' -o -name 'e.safetensors*' -o -name 'results.json*' | wc -l)"
if [ "$leftovers" -ne 0 ]; then echo "FAIL: a failed run left output files behind"; failures=$((failures + 1)); fi

echo "$((17 - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
