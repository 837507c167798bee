"""Golden file for tests/workflows/tst_train_history: percentiles of tensors whose histogram the
training history keeps, as numpy.percentile gives them (linear interpolation between ranks, over
the finite elements only).

Run: /usr/bin/python3 tests/golden/gen_train_history.py
(writes tests/golden/train_history/percentiles.safetensors).

For each case "<name>/data" is the float32 tensor (NaN and infinities included where the case
has them) and "<name>/percentiles" the float64 numpy.percentile of its finite elements at
TensorBoard's band percentiles 0, 7, 16, 31, 50, 69, 84, 93, 100. Metadata "cases" lists the
names. The test computes the 64-bin histc histogram itself and reads the bands from it.
"""

import json
import os
import sys

import numpy
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenlib import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "train_history")
BANDS = [0, 7, 16, 31, 50, 69, 84, 93, 100]


def cases():
    torch.manual_seed(13)
    with_nonfinite = torch.randn(2000)
    with_nonfinite[torch.randperm(2000)[:18]] = torch.tensor(
        [float("nan")] * 10 + [float("inf")] * 5 + [float("-inf")] * 3)
    return {
        "normal": torch.randn(5000),
        "uniform": torch.rand(3000) * 4 - 1,
        "exponential": torch.empty(4000).exponential_(),
        "relu": torch.relu(torch.randn(4096)),  # half of it zeros, all in the first bin
        "nonfinite": with_nonfinite,
        "linspace": torch.linspace(-2, 2, 6401),
        "small_gradient": torch.randn(1000) * 1e-6,
    }


def main():
    tensors = {}
    names = []
    for name, data in cases().items():
        values = data.double().numpy()
        finite = values[numpy.isfinite(values)]
        tensors[f"{name}/data"] = data.float().contiguous()
        tensors[f"{name}/percentiles"] = torch.tensor(
            numpy.percentile(finite, BANDS), dtype=torch.float64)
        names.append(name)
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "percentiles.safetensors")
    save_file(tensors, path, {"cases": json.dumps(names)})
    print(f"{len(names)} cases, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
