#!/usr/bin/env bash
# The README's main command: install what is missing, build, run the main job.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install_deps.sh"
bash "$root/scripts/build.sh"
# Until the full pipeline lands (`mxai reproduce`), the main job is the engine demo.
exec "$root/build/apps/mxai" demo "$@"
