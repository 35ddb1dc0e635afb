#!/usr/bin/env bash
# The main job end to end at toy size (`--preset smoke`): every stage runs, results.json has the documented keys,
# index.html and the figures exist, a second run reuses every stage, and nothing temporary is left behind.
set -u
mxai="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

"$mxai" reproduce --preset smoke --out "$work/run" --threads 2 --quiet > "$work/first.txt" 2>&1 || fail "first run exited non-zero: $(tail -5 "$work/first.txt")"
for f in results.json index.html mnist32/examples_standard.png fashion-mnist/taig_examples.png mnist32/vae_samples.png; do
  [ -s "$work/run/$f" ] || fail "missing $f"
done
for key in '"datasets"' '"mnist32"' '"fashion-mnist"' '"random_baseline"' '"standard"' '"adversarial"' \
           '"gradient"' '"input_x_gradient"' '"integrated_gradients"' '"integrated_gradients_path"' '"smoothgrad"' \
           '"taig"' '"ig_zero"' '"ig_uniform"' '"ig_max_distance"' '"ig_gaussian"' '"ig_optimal"' '"median"' '"q25"'; do
  grep -qF -- "$key" "$work/run/results.json" || fail "results.json lacks $key"
done
grep -q "<svg" "$work/run/index.html" || fail "index.html has no plot"

"$mxai" reproduce --preset smoke --out "$work/run" --threads 2 --no-taig > "$work/second.txt" 2>&1 || fail "second run exited non-zero"
reused="$(grep -c 'reusing' "$work/second.txt")"
[ "$reused" -ge 8 ] || fail "second run reused only $reused stages"
leftovers="$(find "$work/run" -name '*.tmp*' | wc -l)"
[ "$leftovers" -eq 0 ] || fail "temporary files left behind"

echo "$failures failures"
[ "$failures" -eq 0 ]
