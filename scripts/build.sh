#!/usr/bin/env bash
# Configures and builds mxai (Release) with all cores, in $MXAI_BUILD_DIR (default ./build), with the compiler in
# $CXX (default: CMake's choice, g++ on Debian). Extra arguments, and the words of $MXAI_CMAKE_ARGS, go to cmake,
# e.g. -DMXAI_NATIVE=ON or -DMXAI_SANITIZE=ON.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${MXAI_BUILD_DIR:-$root/build}"
# shellcheck disable=SC2086  # MXAI_CMAKE_ARGS is a list of words
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release ${MXAI_CMAKE_ARGS:-} "$@" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
