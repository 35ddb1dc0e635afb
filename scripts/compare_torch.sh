#!/usr/bin/env bash
# mxai against PyTorch on the same workloads, side by side in one run (not part of the test suite).
#
#   bash scripts/compare_torch.sh [--torch-bench PATH] [--build-dir DIR] [--only W1,W2] [--quick | --reps N]
#                                 [--rounds R] [--out FILE]
#
# For each workload, PyTorch (/usr/bin/python3 bench/torch_workloads.py, 2 threads) and mxai-bench
# (OMP_NUM_THREADS=2) run one after the other, so both see the same machine load; with --rounds R the pair runs R
# times and the table shows the median ratio. decoder_jacobian is compared against PyTorch's fastest variant in
# the same round (all but the slow functional reverse (a)). --torch-bench PATH takes PyTorch's numbers from another
# script with the same options and JSON lines (e.g. the anchor torch_bench.py, as a cross-check); workloads it
# does not list still come from bench/torch_workloads.py. Raw JSON lines go to --out (default:
# BUILD_DIR/compare_torch.jsonl).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
own_bench="$repo/bench/torch_workloads.py"
torch_bench="$own_bench"
build_dir="$repo/build-bench"
only=""
reps=7
rounds=1
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --torch-bench) torch_bench="$2"; shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --quick) reps=3; shift ;;
    --reps) reps="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "compare_torch.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
out="${out:-$build_dir/compare_torch.jsonl}"
py=/usr/bin/python3

if [ ! -f "$torch_bench" ]; then
  echo "compare_torch.sh: PyTorch benchmark script not found at $torch_bench" >&2
  exit 1
fi

# PyTorch is Debian's python3-torch under /usr/bin/python3 (the pyenv python3 on PATH has none). Without
# libopenblas0-pthread its matrix products fall back to the reference BLAS (about 2 GFLOPS): no fair baseline.
torch_ready() {
  "$py" -c 'import torch' 2>/dev/null && dpkg-query -W -f='${Status}' libopenblas0-pthread 2>/dev/null | grep -q "ok installed"
}
if ! torch_ready; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "compare_torch.sh: installing python3-torch and libopenblas0-pthread (Debian packages)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-pthread >/dev/null
  fi
  if ! torch_ready; then
    echo "compare_torch.sh: PyTorch is missing or incomplete: $py must import torch, with OpenBLAS installed." >&2
    echo "  install them with: apt-get install python3-torch libopenblas0-pthread" >&2
    exit 1
  fi
fi

bench="$build_dir/bench/mxai-bench"
if [ ! -x "$bench" ] || [ -n "$(find "$repo/autodiff" "$repo/nn" "$repo/vae" "$repo/explain" "$repo/bench" \
                                    -newer "$bench" -name '*.[ch]*' 2>/dev/null | head -1)" ]; then
  echo "compare_torch.sh: building mxai-bench in $build_dir" >&2
  cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build_dir" --target mxai-bench -j2 >/dev/null
fi

export OMP_NUM_THREADS=2
workloads="$("$bench" --list)"
if [ -n "$only" ]; then workloads="$(echo "$workloads" | grep -xF "$(echo "$only" | tr ',' '\n')" || true)"; fi
[ -n "$workloads" ] || { echo "compare_torch.sh: no workload matches '$only'" >&2; exit 2; }

# The PyTorch command for one mxai workload (prints JSON lines): --torch-bench's script if it lists the workload
# (for decoder_jacobian: its variants), bench/torch_workloads.py otherwise.
torch_list="$("$py" "$torch_bench" --list)"
torch_for() {
  local script="$own_bench" name="$1" patterns="$1"
  if [ "$1" = decoder_jacobian ]; then
    name=decoder_jacobian_forward
    patterns='decoder_jacobian_forward*,decoder_jacobian_batched_reverse,decoder_jacobian_double_vjp'
  fi
  if echo "$torch_list" | grep -qxF "$name"; then script="$torch_bench"; fi
  "$py" "$script" --reps "$reps" --only "$patterns"
}

mkdir -p "$(dirname "$out")"
: >"$out"
echo "compare_torch.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, reps $reps, rounds $rounds; load at start:$(uptime | sed 's/.*load average://')" >&2
for round in $(seq 1 "$rounds"); do
  for w in $workloads; do
    echo "round $round: $w (PyTorch, then mxai)" >&2
    torch_for "$w" 2>/dev/null | sed "s/^{/{\"side\": \"torch\", \"for\": \"$w\", \"round\": $round, /" >>"$out" ||
      echo "  no PyTorch result for $w" >&2
    "$bench" --reps "$reps" --only "$w" 2>/dev/null | sed "s/^{/{\"side\": \"mxai\", \"for\": \"$w\", \"round\": $round, /" >>"$out"
    echo "  load:$(uptime | sed 's/.*load average://')" >&2
  done
done

"$py" - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
names = list(dict.fromkeys(r["for"] for r in rows))
print(f"{'workload':28s} {'unit':15s} {'mxai':>10s} {'PyTorch':>10s} {'ratio':>7s}  PyTorch variant")
for w in names:
    ratios, mx, pt, variant, unit = [], [], [], "", ""
    for rnd in sorted({r["round"] for r in rows if r["for"] == w}):
        m = [r for r in rows if r["for"] == w and r["round"] == rnd and r["side"] == "mxai"]
        t = [r for r in rows if r["for"] == w and r["round"] == rnd and r["side"] == "torch"]
        if not m or not t:
            continue
        best = max(t, key=lambda r: r["value"])  # decoder_jacobian: PyTorch's fastest variant
        ratios.append(m[0]["value"] / best["value"])
        mx.append(m[0]["value"]); pt.append(best["value"])
        variant, unit = best["workload"], m[0]["unit"]
    if not ratios:
        print(f"{w:28s} (missing result)")
        continue
    print(f"{w:28s} {unit:15s} {statistics.median(mx):10.2f} {statistics.median(pt):10.2f} "
          f"{statistics.median(ratios):6.2f}x  {variant if variant != w else ''}")
PY
echo "load at end:$(uptime | sed 's/.*load average://')"
