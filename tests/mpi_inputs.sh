#!/usr/bin/env bash
# Fixture of the MPI tests: one process, one thread, runs the MNIST32 half of the smoke preset into $work/one;
# its models and generated data are the other tests' inputs and its findings their reference.
# Usage: mpi_inputs.sh MPIRUN MXAI WORK
source "$(dirname "$0")/mpi_common.sh"
rm -rf "$work" && mkdir -p "$work"
start=$SECONDS
"$mxai" reproduce --preset smoke --seed 1 --no-taig --only mnist32 --threads 1 --quiet --out "$work/one" \
  > "$work/one.txt" 2>&1 || fail "the one-process smoke run failed: $(tail -3 "$work/one.txt")"
echo "one process: $((SECONDS - start)) s"
finish
