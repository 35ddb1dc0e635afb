#!/usr/bin/env bash
# The README's main command: install what is missing, build, and run the main job -- `mxai reproduce`, both
# papers end to end on the installed data (quick preset unless --preset reference), report in runs/<preset>/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install_deps.sh"
bash "$root/scripts/build.sh"
cd "$root"
exec "$root/build/apps/mxai" reproduce "$@"
