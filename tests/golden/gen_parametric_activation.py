"""Goldens for LeakyReLU, ELU and Softplus (ops and modules): values and gradients from PyTorch
1.13 in float32 and float64, kinks and Softplus's threshold included, and the modules' repr.
Read by tests/engine/tst_parametric_activation.cpp.

Run: /usr/bin/python3 tests/golden/gen_parametric_activation.py
Writes tests/golden/parametric_activation/activations.safetensors.
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import goldenlib  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "parametric_activation")

# name -> (function, module) with non-default constants, and the defaults
CASES = {
    "leaky_relu": (lambda x: F.leaky_relu(x), torch.nn.LeakyReLU()),
    "leaky_relu_0.2": (lambda x: F.leaky_relu(x, 0.2), torch.nn.LeakyReLU(0.2, inplace=True)),
    "elu": (lambda x: F.elu(x), torch.nn.ELU()),
    "elu_0.5": (lambda x: F.elu(x, 0.5), torch.nn.ELU(alpha=0.5, inplace=True)),
    "softplus": (lambda x: F.softplus(x), torch.nn.Softplus()),
    "softplus_2_3": (lambda x: F.softplus(x, beta=2, threshold=3),
                     torch.nn.Softplus(beta=2, threshold=3)),
    "softplus_0.5_1.5": (lambda x: F.softplus(x, beta=0.5, threshold=1.5),
                         torch.nn.Softplus(beta=0.5, threshold=1.5)),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(1717)
    # Random values across every piece, the kink at 0, and both sides of Softplus's thresholds
    # (x * beta = 20, 3 and 1.5 for the cases above).
    special = torch.tensor([0.0, -0.0, 1e-4, -1e-4, 10.0, 10.01, 1.5, 1.51, 3.0, 3.01, 20.0,
                            20.01, -30.0, 25.0])
    tensors = {}
    metadata = {}
    for dtype in (torch.float32, torch.float64):
        tag = "f32" if dtype == torch.float32 else "f64"
        x = torch.cat([torch.rand(50, generator=g) * 16 - 8, special]).to(dtype).reshape(4, 16)
        grad_output = (torch.rand(4, 16, generator=g) * 2 - 1).to(dtype)
        tensors[f"{tag}.x"] = x
        tensors[f"{tag}.grad_output"] = grad_output
        for name, (fn, module) in CASES.items():
            xg = x.clone().requires_grad_(True)
            y = fn(xg)
            y.backward(grad_output)
            tensors[f"{tag}.{name}.y"] = y.detach()
            tensors[f"{tag}.{name}.grad"] = xg.grad
            metadata[f"repr.{name}"] = repr(module)
    goldenlib.save_file(tensors, os.path.join(OUT, "activations.safetensors"), metadata)


if __name__ == "__main__":
    main()
