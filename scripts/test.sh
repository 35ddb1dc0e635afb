#!/usr/bin/env bash
# The README's test command: install what is missing, build, run the default test suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MXAI_SKIP_DATA=1 bash "$root/scripts/install_deps.sh"
bash "$root/scripts/build.sh"
cd "$root/build"
ctest --output-on-failure -j"$(nproc)" -LE long "$@"
