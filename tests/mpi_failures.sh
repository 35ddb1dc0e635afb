#!/usr/bin/env bash
# A failing job ends as a whole, with a message, and a rerun continues from the stage cache:
#   1. ranks running different builds (here: the executable with one byte appended) stop at start-up;
#   2. bad input stops every rank with a non-zero exit;
#   3. a rank killed mid-run (SIGKILL, during the labeler's training) ends the job, and rerunning the same
#      command reuses the stages finished before and completes.
# Usage: mpi_failures.sh MPIRUN MXAI WORK
source "$(dirname "$0")/mpi_common.sh"
other="$work/mxai_other_build"
cp "$mxai" "$other" && printf 'x' >> "$other"
model="$work/one/mnist32/standard.safetensors"
if out=$(timeout 120 "$mpirun_bin" --oversubscribe -np 1 "$mxai" info --file "$model" : -np 1 "$other" info \
           --file "$model" 2>&1); then
  fail "a job of two builds succeeded"
else
  grep -q "different mxai build" <<< "$out" || fail "no message naming the build mismatch: $(tail -3 <<< "$out")"
  echo "two builds: stopped with \"$(grep -m1 -o 'rank 1 runs a different mxai build[^;]*' <<< "$out")\""
fi

if timeout 120 "$mpirun_bin" --oversubscribe -np 2 -x OMP_NUM_THREADS "$mxai" explain \
     --model "$work/missing.safetensors" --data "$work/one/mnist32/data" --out "$work/never.safetensors" > "$work/bad.txt" 2>&1; then
  fail "a job with a missing model succeeded"
else
  grep -q "missing.safetensors" "$work/bad.txt" || fail "the error does not name the file: $(tail -3 "$work/bad.txt")"
  [ ! -e "$work/never.safetensors" ] || fail "a failed job wrote its output"
fi

# Rank 1 kills itself once the labeler's stage has started (the VAE's record is on disk).
run=(reproduce --preset smoke --seed 1 --no-taig --only mnist32 --threads 1 --out "$work/killed")
start=$SECONDS
timeout 600 "$mpirun_bin" --oversubscribe -np 2 -x OMP_NUM_THREADS bash -c '
  if [ "$OMPI_COMM_WORLD_RANK" = 1 ]; then
    (until [ -e "$0/mnist32/vae.safetensors.stage.json" ]; do sleep 0.2; done; sleep 1; kill -KILL $$) &
  fi
  exec "$@"' "$work/killed" "$mxai" "${run[@]}" > "$work/killed.txt" 2>&1
status=$?
echo "killed run: exit $status after $((SECONDS - start)) s"
[ "$status" -ne 0 ] && [ "$status" -ne 124 ] || fail "a job with a killed rank exited $status"
[ -e "$work/killed/mnist32/vae.safetensors.stage.json" ] || fail "the VAE stage did not finish before the kill"
two_ranks "$mxai" "${run[@]}" > "$work/rerun.txt" 2>&1 || fail "the rerun failed: $(tail -3 "$work/rerun.txt")"
grep -q "reusing .*vae.safetensors" "$work/rerun.txt" || fail "the rerun did not reuse the VAE: $(grep '^\[' "$work/rerun.txt")"
grep -q "^report:" "$work/rerun.txt" || fail "the rerun did not finish"
finish
