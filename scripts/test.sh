#!/usr/bin/env bash
# The README's test command: install what is missing, build, run the default test suite (the toolchain guard first).
# The build goes to $MXAI_BUILD_DIR (default ./build) with the compiler in $CXX (default g++); arguments go to ctest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install_deps.sh"
bash "$root/scripts/build.sh"
cd "${MXAI_BUILD_DIR:-$root/build}"
echo "mxai: testing with $(grep -m1 '^CMAKE_CXX_COMPILER:' CMakeCache.txt | cut -d= -f2) on $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
ctest --output-on-failure -j"$(nproc)" -LE long "$@"
