#!/usr/bin/env bash
# Configures and builds mxai (Release) with all cores, in $MXAI_BUILD_DIR (default ./build), with the compiler in
# $CXX (default: CMake's choice, g++ on Debian). Extra arguments go to cmake, e.g. -DMXAI_NATIVE=ON.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${MXAI_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
