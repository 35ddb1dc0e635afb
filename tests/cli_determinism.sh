#!/usr/bin/env bash
# Bit-identical reruns and runs that survive SIGKILL, on the smoke preset (MNIST32, seed 1, no TAIG, 2 threads):
#   1. a run into a fresh folder (a);
#   2. a second run into another folder (k), killed with SIGKILL three times (after 2 s; as soon as the first stage
#      record appears; one second into the stage after the fourth record, i.e. mid-training), then rerun to
#      completion: the same datasets section and the same .safetensors bytes as run a, and no temporary file left
#      behind. Every stage of k was computed by a process of its own, from scratch or resumed from its inputs, so
#      this is also the bit-identical rerun: a separate uninterrupted second run would check nothing more;
#   3. a run into a tiny tmpfs (skipped with a message where mounting is not permitted): a clear error naming a
#      file and "No space left on device", and no half-written file.
# Usage: cli_determinism.sh MXAI JSON_SECTION
set -u
mxai="$1"
json_section="$2"
work="$(mktemp -d)"
mounted=""
cleanup() {
  [ -n "$mounted" ] && umount "$mounted" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# MNIST32 only: its five stages (VAE, labeler, generation, two LeNets) use every kind of writer the Fashion-MNIST
# half does, in half the time, which keeps this test beside the smoke test within the default suite's budget.
args=(reproduce --preset smoke --seed 1 --no-taig --only mnist32 --threads 2 --quiet)

datasets_of() { "$json_section" "$1/results.json" datasets seconds created; }
# Every .safetensors of folder $1 has a byte-identical twin in $2 (and there is at least one).
same_models() {
  local n=0 f
  while IFS= read -r f; do
    n=$((n + 1))
    cmp -s "$1/$f" "$2/$f" || { fail "$f differs between $1 and $2"; }
  done < <(cd "$1" && find . -name '*.safetensors' | sort)
  [ "$n" -gt 0 ] || fail "no .safetensors files in $1"
  [ "$(cd "$2" && find . -name '*.safetensors' | wc -l)" -eq "$n" ] || fail "$2 holds a different number of model files"
  echo "$n .safetensors files compared"
}
temp_files() { find "$1" -name '*.tmp.*' | wc -l; }

start=$SECONDS
"$mxai" "${args[@]}" --out "$work/a" > "$work/a.txt" 2>&1 || fail "run a failed: $(tail -3 "$work/a.txt")"
echo "run a: $((SECONDS - start)) s"

# Starts a run into $work/k in the background and SIGKILLs it once `$1` (a shell condition) holds.
kill_when() {
  "$mxai" "${args[@]}" --out "$work/k" >> "$work/k.txt" 2>&1 &
  local pid=$! waited=0
  until eval "$1"; do
    kill -0 "$pid" 2>/dev/null || { echo "the run ended before: $1"; wait "$pid"; return; }
    sleep 0.2
    waited=$((waited + 1))
  done
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null
  echo "killed when: $1 ($(find "$work/k" -name '*.stage.json' 2>/dev/null | wc -l) stage records, $(temp_files "$work/k") temporary files)"
}
records() { find "$work/k" -name '*.stage.json' 2>/dev/null | wc -l; }
started=$SECONDS
kill_when '[ $((SECONDS - started)) -ge 2 ]'
kill_when '[ "$(records)" -ge 1 ]'
fourth_at=""
kill_when 'if [ "$(records)" -ge 4 ]; then fourth_at=${fourth_at:-$SECONDS}; [ $((SECONDS - fourth_at)) -ge 1 ]; else false; fi'
"$mxai" "${args[@]}" --out "$work/k" >> "$work/k.txt" 2>&1 || fail "the resumed run failed: $(tail -3 "$work/k.txt")"
echo "killed three times and resumed: $((SECONDS - started)) s"
[ "$(datasets_of "$work/a")" = "$(datasets_of "$work/k")" ] || fail "the resumed run's datasets section differs from run a"
same_models "$work/a" "$work/k"
[ "$(temp_files "$work/k")" -eq 0 ] || fail "temporary files left after the resumed run: $(find "$work/k" -name '*.tmp.*')"

# A full disk: 1 MB, less than the first stage's model file (the VAE, about 1.9 MB in the smoke preset).
mkdir -p "$work/full"
if mount -t tmpfs -o size=1m mxai-full "$work/full" 2>/dev/null; then
  mounted="$work/full"
  if "$mxai" "${args[@]}" --out "$work/full/run" > "$work/full.txt" 2>&1; then
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
