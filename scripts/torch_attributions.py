#!/usr/bin/python3
"""PyTorch's Gradient, Input x Gradient and Integrated Gradients of an mxai classifier, as an oracle.

Run with Debian's /usr/bin/python3 and python3-torch (a verification tool only; mxai never needs PyTorch):

    /usr/bin/python3 scripts/torch_attributions.py MODEL.safetensors IO.safetensors OUT.safetensors

MODEL is a classifier saved by mxai (its metadata names the architecture, as for scripts/torch_interop.py). IO holds
"inputs" (N,C,H,W) and "targets" (N) (class indices stored as floats), plus "ig_steps" (1): the number of
Gauss-Legendre nodes. OUT receives, each (N,C,H,W):
  gradient          d logit_target / d x
  input_x_gradient  x * gradient
  ig_path           sum_k w_k d logit_target / dx (a_k x): the path-averaged gradient from the zero base-point
  ig                x * ig_path: Integrated Gradients with the zero base-point
computed in eval mode with plain autograd, so the test "[torch]" in tests/unit/test_explain_torch_oracle.cpp can
compare mxai's attributions with them. Captum's "gausslegendre" rule maps numpy's nodes on [-1, 1] to [0, 1]; so
does this script (Captum itself is not a Debian package).
"""

import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_interop import model_from_metadata, read_safetensors, write_safetensors  # noqa: E402


def target_gradient(model, x, targets):
    """d logit_target / dx for each row; rows do not interact in eval mode, so one backward serves all."""
    x = x.detach().clone().requires_grad_(True)
    logits = model(x)
    logits.gather(1, targets[:, None]).sum().backward()
    return x.grad.detach()


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    model_path, io_path, out_path = sys.argv[1:]
    torch.set_num_threads(1)
    state, metadata = read_safetensors(model_path)
    model = model_from_metadata(metadata, model_path)
    model.load_state_dict(state, strict=True)
    model.eval()
    io, _ = read_safetensors(io_path)
    x = io["inputs"]
    targets = io["targets"].round().long()
    steps = int(io["ig_steps"].item())

    gradient = target_gradient(model, x, targets)
    nodes, weights = np.polynomial.legendre.leggauss(steps)
    path = torch.zeros_like(x)
    for a, w in zip((nodes + 1) / 2, weights / 2):
        path += float(w) * target_gradient(model, float(a) * x, targets)
    write_safetensors(out_path, {"gradient": gradient, "input_x_gradient": x * gradient, "ig_path": path,
                                 "ig": x * path})
    return 0


if __name__ == "__main__":
    sys.exit(main())
