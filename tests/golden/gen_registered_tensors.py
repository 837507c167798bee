"""Golden for workflows::registered_tensors (issue #17): a module tree with a parameter, a frozen
parameter, a persistent buffer, a non-persistent buffer, a None bias, BatchNorm's buffers and a
weight tied between two Linears, and what PyTorch 1.13 says of it: the state_dict keys in
order, the names model.parameters() yields (what an optimizer updates) and those of them that
require grad.

Run: /usr/bin/python3 tests/golden/gen_registered_tensors.py
     (writes tests/golden/registered_tensors/expected.json)
"""

import json
import os

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "registered_tensors")


def model():
    root = nn.Sequential()
    root.add_module("embed", nn.Linear(3, 4, bias=False))
    root.add_module("bn", nn.BatchNorm1d(4))
    root.add_module("head", nn.Linear(4, 3))
    root.register_parameter("scale", nn.Parameter(torch.ones(1)))
    root.register_parameter("frozen", nn.Parameter(torch.zeros(2), requires_grad=False))
    root.register_buffer("mask", torch.ones(3))
    root.register_buffer("cache", torch.zeros(3), persistent=False)
    root.add_module("tied", nn.Linear(3, 4, bias=False))
    root.tied.weight = root.embed.weight
    return root


def main():
    os.makedirs(OUT, exist_ok=True)
    m = model()
    expected = {
        "state_dict": list(m.state_dict().keys()),
        "parameters": [n for n, _ in m.named_parameters()],
        "trainable": [n for n, p in m.named_parameters() if p.requires_grad],
        "buffers": [n for n, _ in m.named_buffers()],
    }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
