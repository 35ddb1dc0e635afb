#!/usr/bin/env bash
# The MPI pass: installs Open MPI if missing (Debian: libopenmpi-dev, openmpi-bin), builds only what the MPI tests
# run (mxai and safetensors_max_diff) with -DMXAI_MPI=ON in build-mpi, and runs `ctest -L mpi`: two ranks under
# mpirun against one process (tests/mpi_*.sh). Environment: MXAI_BUILD_DIR (default build-mpi), CXX.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v mpirun > /dev/null || ! command -v mpicxx > /dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "scripts/test_mpi.sh: Open MPI is missing; as root: apt-get install libopenmpi-dev openmpi-bin" >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libopenmpi-dev openmpi-bin
fi
build="${MXAI_BUILD_DIR:-$PWD/build-mpi}"
launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
start=$SECONDS
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DMXAI_MPI=ON "${launcher[@]}" > /dev/null
cmake --build "$build" -j"$(nproc)" --target mxai safetensors_max_diff
echo "MPI build: $((SECONDS - start)) s"
start=$SECONDS
(cd "$build" && ctest --output-on-failure -L mpi)
echo "MPI tests: $((SECONDS - start)) s"
