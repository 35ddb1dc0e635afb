#!/usr/bin/python3
"""Checks that mxai models and PyTorch models are interchangeable through safetensors files.

Run with Debian's /usr/bin/python3 and python3-torch (a verification tool only; mxai never needs PyTorch):

    /usr/bin/python3 scripts/torch_interop.py DIR [--tolerance 1e-4] [--seed 0]

For every DIR/NAME.mxai.safetensors (a model saved by mxai, whose metadata names its architecture: arch,
in_channels, height, width, num_classes) with its DIR/NAME.mxai_io.safetensors ("inputs" (N,C,H,W) and the
eval-mode "logits" (N,K) mxai computed for them), this script

  1. builds the PyTorch module of that architecture, loads the mxai file with load_state_dict(strict=True),
     runs the inputs in eval mode and compares the logits with mxai's (max absolute difference <= tolerance);
  2. writes a PyTorch-initialised model of the same architecture (BatchNorm statistics moved by two training
     batches) to DIR/NAME.torch.safetensors, with inputs and its eval-mode logits in DIR/NAME.torch_io.safetensors,
     for mxai to load and compare in turn.

The mxai test "[torch]" (tests/unit/test_nn_torch_interop.cpp) writes the mxai files, runs this script and checks
step 2's files. The safetensors format is read and written here with struct and json only.
Exit status: 0 when every comparison is within tolerance, 1 otherwise, 2 for bad input files.
"""

import argparse
import glob
import json
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

# ---- safetensors ----

_DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
    "BOOL": torch.bool,
}
_NAMES = {dtype: name for name, dtype in _DTYPES.items()}


def read_safetensors(path):
    """Returns ({name: tensor}, metadata)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: shorter than the 8-byte header length")
    (header_len,) = struct.unpack("<Q", data[:8])
    if header_len > len(data) - 8:
        raise ValueError(f"{path}: header length {header_len} exceeds the file size")
    header = json.loads(data[8:8 + header_len].decode("utf-8"))
    body = data[8 + header_len:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        dtype = _DTYPES.get(entry["dtype"])
        if dtype is None:
            raise ValueError(f"{path}: tensor '{name}' has unknown dtype {entry['dtype']}")
        begin, end = entry["data_offsets"]
        shape = entry["shape"]
        numel = 1
        for d in shape:
            numel *= d
        size = torch.empty((), dtype=dtype).element_size()
        if not 0 <= begin <= end <= len(body) or end - begin != numel * size:
            raise ValueError(f"{path}: tensor '{name}' has bad data_offsets {entry['data_offsets']}")
        if numel == 0:
            tensors[name] = torch.empty(shape, dtype=dtype)
        else:
            tensors[name] = torch.frombuffer(bytearray(body[begin:end]), dtype=dtype).reshape(shape).clone()
    return tensors, metadata


def write_safetensors(path, tensors, metadata=None):
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        raw = t.numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in chunks:
            f.write(raw)
    os.replace(tmp, path)


# ---- the architectures of nn/classifiers.h, with the same parameter names ----

class LeNet(nn.Module):
    """Bordt et al.'s MNIST network; `smooth` swaps ReLU for Softplus(beta=10)."""

    def __init__(self, in_channels, height, width, num_classes, smooth=False):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(64 * ((height - 4) // 2) * ((width - 4) // 2), 128)
        self.fc2 = nn.Linear(128, num_classes)
        self.act = nn.Softplus(beta=10) if smooth else nn.ReLU()

    def forward(self, x):
        x = self.act(self.conv1(x))
        x = self.act(self.conv2(x))
        x = self.dropout1(F.max_pool2d(x, 2))
        x = self.act(self.fc1(torch.flatten(x, 1)))
        return self.fc2(self.dropout2(x))


class VGG(nn.Module):
    def __init__(self, in_channels, height, width, num_classes, config=(32, 32, "M", 64, 64, "M", 128, "M"),
                 hidden=256):
        super().__init__()
        layers, channels, h, w = [], in_channels, height, width
        for entry in config:
            if entry == "M":
                layers.append(nn.MaxPool2d(2))
                h, w = h // 2, w // 2
            else:
                layers += [nn.Conv2d(channels, entry, 3, padding=1), nn.BatchNorm2d(entry), nn.ReLU()]
                channels = entry
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Linear(channels * h * w, hidden), nn.ReLU(), nn.Dropout(0.5),
                                        nn.Linear(hidden, num_classes))

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride, bias=False),
                                            nn.BatchNorm2d(out_channels))

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        h = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(h)) + shortcut)


class ResNet(nn.Module):
    def __init__(self, in_channels, num_classes, width=16, blocks_per_stage=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        channels = width

        def stage(out, stride):
            nonlocal channels
            blocks = []
            for b in range(blocks_per_stage):
                blocks.append(BasicBlock(channels, out, stride if b == 0 else 1))
                channels = out
            return nn.Sequential(*blocks)

        self.layer1 = stage(width, 1)
        self.layer2 = stage(2 * width, 2)
        self.layer3 = stage(4 * width, 2)
        self.fc = nn.Linear(channels, num_classes)

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        h = self.layer3(self.layer2(self.layer1(h)))
        return self.fc(h.mean(dim=(2, 3)))


def make_classifier(arch, in_channels, height, width, num_classes):
    if arch in ("lenet", "lenet-softplus"):
        return LeNet(in_channels, height, width, num_classes, smooth=arch == "lenet-softplus")
    if arch == "vgg":
        return VGG(in_channels, height, width, num_classes)
    if arch == "resnet":
        return ResNet(in_channels, num_classes)
    raise ValueError(f"unknown architecture '{arch}'")


# ---- the two directions ----

def model_from_metadata(metadata, path):
    try:
        dims = [int(metadata[k]) for k in ("in_channels", "height", "width", "num_classes")]
        return make_classifier(metadata["arch"], *dims)
    except KeyError as e:
        raise ValueError(f"{path}: metadata lacks {e}") from None


def check_mxai_model(prefix, tolerance):
    """Loads an mxai model into PyTorch and compares logits; returns the max absolute difference."""
    state, metadata = read_safetensors(prefix + ".mxai.safetensors")
    io, _ = read_safetensors(prefix + ".mxai_io.safetensors")
    model = model_from_metadata(metadata, prefix + ".mxai.safetensors")
    model.load_state_dict(state, strict=True)
    model.eval()
    with torch.no_grad():
        logits = model(io["inputs"])
    if logits.shape != io["logits"].shape:
        raise ValueError(f"{prefix}: PyTorch logits {tuple(logits.shape)} vs mxai {tuple(io['logits'].shape)}")
    return (logits - io["logits"]).abs().max().item(), metadata


def export_torch_model(prefix, metadata, seed):
    torch.manual_seed(seed)
    model = model_from_metadata(metadata, prefix)
    shape = [int(metadata[k]) for k in ("in_channels", "height", "width")]
    model.train()
    with torch.no_grad():
        for _ in range(2):  # move the BatchNorm running statistics away from their initial values
            model(torch.randn([8] + shape))
    model.eval()
    inputs = torch.randn([4] + shape)
    with torch.no_grad():
        logits = model(inputs)
    write_safetensors(prefix + ".torch.safetensors", model.state_dict(), metadata)
    write_safetensors(prefix + ".torch_io.safetensors", {"inputs": inputs, "logits": logits})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir")
    parser.add_argument("--tolerance", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    prefixes = sorted(p[:-len(".mxai.safetensors")] for p in glob.glob(os.path.join(args.dir, "*.mxai.safetensors")))
    if not prefixes:
        print(f"no *.mxai.safetensors files in {args.dir}", file=sys.stderr)
        return 2
    ok = True
    for prefix in prefixes:
        name = os.path.basename(prefix)
        try:
            diff, metadata = check_mxai_model(prefix, args.tolerance)
            export_torch_model(prefix, metadata, args.seed)
        except (ValueError, KeyError, RuntimeError) as e:
            print(f"{name}: ERROR {e}", file=sys.stderr)
            return 2
        good = diff <= args.tolerance
        ok = ok and good
        print(f"{name}: mxai -> torch max abs logit difference {diff:.3g} ({'ok' if good else 'FAIL'})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
