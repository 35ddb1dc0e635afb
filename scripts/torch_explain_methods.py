#!/usr/bin/python3
"""PyTorch's Grad-CAM, guided backprop and bilinear upsampling for mxai's interop test.

Run with Debian's /usr/bin/python3 and python3-torch (a verification tool only; mxai never needs PyTorch):

    /usr/bin/python3 scripts/torch_explain_methods.py DIR

Reads DIR/model.mxai.safetensors (an mxai classifier, arch in its metadata) and DIR/methods_io.safetensors
("inputs" (N,C,H,W), "targets" (N) as floats, "upsample_in" (N,C,h,w) and "upsample_size" (2)), and writes
DIR/methods.torch.safetensors with

  gradcam_map  (N,1,h,w)  LayerGradCam on conv2's output (before its activation), no ReLU on the map: the
                          layer's output captured by a forward hook, the weights the spatial mean of the gradient;
  gradcam      (N,1,H,W)  that map upsampled by F.interpolate(mode="bilinear", align_corners=False);
  guided       (N,C,H,W)  guided backprop: a forward hook on the ReLU module registers a gradient hook on its
                          output that keeps only positive gradients (ReLU's own backward then masks by x > 0);
  upsample_out            F.interpolate(upsample_in, size, mode="bilinear", align_corners=False).

The mxai test "[torch]" in tests/unit/test_explain_torch_methods.cpp compares them with its own.
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_interop import model_from_metadata, read_safetensors, write_safetensors  # noqa: E402


def target_logits(model, x, targets):
    logits = model(x)
    return logits[torch.arange(x.shape[0]), targets].sum()


def gradcam_map(model, x, targets):
    captured = []
    handle = model.conv2.register_forward_hook(lambda module, inputs, output: captured.append(output))
    total = target_logits(model, x, targets)
    handle.remove()
    activation = captured[0]
    (gradient,) = torch.autograd.grad(total, activation)
    weights = gradient.mean(dim=(2, 3), keepdim=True)
    return (weights * activation).sum(dim=1, keepdim=True)


def guided_backprop(model, x, targets):
    def keep_positive_gradients(module, inputs, output):
        output.register_hook(lambda g: g.clamp(min=0))  # returns None: the forward output stays as it is

    x = x.clone().requires_grad_()
    hook = model.act.register_forward_hook(keep_positive_gradients)
    total = target_logits(model, x, targets)
    hook.remove()
    (gradient,) = torch.autograd.grad(total, x)
    return gradient


def main():
    directory = sys.argv[1]
    weights, metadata = read_safetensors(os.path.join(directory, "model.mxai.safetensors"))
    model = model_from_metadata(metadata, directory)
    model.load_state_dict(weights, strict=True)
    model.eval()
    io, _ = read_safetensors(os.path.join(directory, "methods_io.safetensors"))
    x, targets = io["inputs"], io["targets"].long()
    size = tuple(int(v) for v in io["upsample_size"])
    cam = gradcam_map(model, x, targets)
    write_safetensors(os.path.join(directory, "methods.torch.safetensors"), {
        "gradcam_map": cam,
        "gradcam": F.interpolate(cam, size=x.shape[2:], mode="bilinear", align_corners=False),
        "guided": guided_backprop(model, x, targets),
        "upsample_out": F.interpolate(io["upsample_in"], size=size, mode="bilinear", align_corners=False),
    })
    print("wrote", os.path.join(directory, "methods.torch.safetensors"))


if __name__ == "__main__":
    main()
