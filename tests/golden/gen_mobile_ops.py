"""Goldens for the activations and pooling of mobile networks (issue #16): ReLU6, Hardsigmoid,
Hardswish, SiLU and AdaptiveAvgPool2d, values and gradients from PyTorch 1.13, and the modules'
repr. Read by tests/engine/tst_mobile_ops.cpp.

Run: /usr/bin/python3 tests/golden/gen_mobile_ops.py
Writes tests/golden/mobile_ops/{activations,adaptive_pool}.safetensors.
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import goldenlib  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mobile_ops")

ACTIVATIONS = {
    "relu6": F.relu6,
    "hardsigmoid": F.hardsigmoid,
    "hardswish": F.hardswish,
    "silu": F.silu,
}


def activations():
    g = torch.Generator().manual_seed(1616)
    # Random values across every piece, and each function's kinks exactly.
    kinks = torch.tensor([-3.0, 0.0, 3.0, 6.0, -4.0, 7.5, 2.5, -2.5, 5.999, 6.001, 1e-4, -1e-4])
    tensors = {}
    for dtype in (torch.float32, torch.float64):
        tag = "f32" if dtype == torch.float32 else "f64"
        x = torch.cat([torch.rand(52, generator=g) * 20 - 10, kinks]).to(dtype).reshape(4, 16)
        grad_output = (torch.rand(4, 16, generator=g) * 2 - 1).to(dtype)
        tensors[f"{tag}.x"] = x
        tensors[f"{tag}.grad_output"] = grad_output
        for name, fn in ACTIVATIONS.items():
            xg = x.clone().requires_grad_(True)
            y = fn(xg)
            y.backward(grad_output)
            tensors[f"{tag}.{name}.y"] = y.detach()
            tensors[f"{tag}.{name}.grad"] = xg.grad
    metadata = {
        "repr.ReLU6": repr(torch.nn.ReLU6(inplace=True)),
        "repr.ReLU6.default": repr(torch.nn.ReLU6()),
        "repr.Hardsigmoid": repr(torch.nn.Hardsigmoid(inplace=True)),
        "repr.Hardswish": repr(torch.nn.Hardswish(inplace=True)),
        "repr.SiLU": repr(torch.nn.SiLU(inplace=True)),
        "repr.SiLU.default": repr(torch.nn.SiLU()),
    }
    goldenlib.save_file(tensors, os.path.join(OUT, "activations.safetensors"), metadata)


# (input shape, output_size as the module takes it)
POOL_CASES = [
    ((2, 3, 7, 9), (1, 1)),
    ((2, 3, 7, 9), (3, 4)),
    ((2, 3, 7, 9), (7, 9)),
    ((3, 5, 6), (4, 2)),
    ((1, 2, 5, 5), (None, 3)),
    ((1, 2, 4, 4), 6),
]


def adaptive_pool():
    g = torch.Generator().manual_seed(1617)
    tensors = {}
    metadata = {}
    for i, (shape, size) in enumerate(POOL_CASES):
        for dtype in (torch.float32, torch.float64):
            tag = "f32" if dtype == torch.float32 else "f64"
            x = (torch.rand(shape, generator=g) * 2 - 1).to(dtype).requires_grad_(True)
            module = torch.nn.AdaptiveAvgPool2d(size)
            y = module(x)
            grad_output = (torch.rand(y.shape, generator=g) * 2 - 1).to(dtype)
            y.backward(grad_output)
            tensors[f"{i}.{tag}.x"] = x.detach()
            tensors[f"{i}.{tag}.grad_output"] = grad_output
            tensors[f"{i}.{tag}.y"] = y.detach()
            tensors[f"{i}.{tag}.grad"] = x.grad
        metadata[f"{i}.repr"] = repr(module)
    goldenlib.save_file(tensors, os.path.join(OUT, "adaptive_pool.safetensors"), metadata)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    activations()
    adaptive_pool()
