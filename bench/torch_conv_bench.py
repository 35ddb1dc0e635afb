#!/usr/bin/python3
"""PyTorch side of mxai-bench's conv2d_forward / conv2d_backward (torch_bench.py has no bare-conv workload).

LeNet's conv2 on a training batch: x (128,32,30,30), w (64,32,3,3), b (64), float32, oneDNN. Same rules and config
as torch_bench.py's tuned default: malloc keeps freed memory (re-exec with its MALLOC_* settings), 2 threads, one
warm-up call, `reps` timed reps, median. Prints the same JSON lines. Usage: torch_conv_bench.py [--reps N]
"""
import argparse
import json
import os
import statistics
import sys
import time

TUNED_MALLOC = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": str(16 << 30), "MALLOC_TOP_PAD_": str(256 << 20)}
if any(os.environ.get(k) != v for k, v in TUNED_MALLOC.items()):
    os.environ.update(TUNED_MALLOC)
    os.execv(sys.executable, [sys.executable] + sys.argv)

import torch
import torch.nn.functional as F

N, C, H, O, K, OH = 128, 32, 30, 64, 3, 28
FWD_GFLOP = 2.0 * N * O * OH * OH * C * K * K / 1e9


def run(name, rep, items, reps):
    torch.manual_seed(0)
    rep()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        rep()
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(json.dumps({"workload": name, "unit": "GFLOPS", "value": round(items / med, 4), "median_s": round(med, 6),
                      "reps": reps, "items_per_rep": items, "min_s": round(min(times), 6),
                      "max_s": round(max(times), 6), "config": "tuned", "threads": torch.get_num_threads()}),
          flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--only", default="conv2d_forward,conv2d_backward")
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    x = torch.rand(N, C, H, H)
    w = (torch.rand(O, C, K, K) - 0.5) * 0.12
    b = (torch.rand(O) - 0.5) * 0.12
    only = args.only.split(",")
    if "conv2d_forward" in only:
        def fwd():
            with torch.no_grad():
                for _ in range(4):
                    F.conv2d(x, w, b)
        run("conv2d_forward", fwd, 4 * FWD_GFLOP, args.reps)
    if "conv2d_backward" in only:
        xg, wg, bg = x.clone().requires_grad_(), w.clone().requires_grad_(), b.clone().requires_grad_()
        y = F.conv2d(xg, wg, bg)
        gy = torch.randn_like(y)

        def bwd():
            for _ in range(2):
                torch.autograd.grad(y, (xg, wg, bg), gy, retain_graph=True)
        run("conv2d_backward", bwd, 2 * 2 * FWD_GFLOP, args.reps)


if __name__ == "__main__":
    main()
