"""Golden files for tst_tensor_snapshot and the window tests: torch.histc bin counts and the
statistics (min, max, mean, unbiased std over the finite elements) of a few tensors, including
the bundled models' weights as the window shows them.

Run: /usr/bin/python3 tests/golden/gen_snapshot.py (writes tests/golden/snapshot/).
For each case "<c>": "<c>.input" (the tensor), "<c>.counts" (int64 torch.histc counts of the finite
elements over [min, max] of those elements), "<c>.range" (float64 [lo, hi] of the bins, widened by
one on each side for a constant tensor as histc does) and "<c>.stats" (float64 [min, max, mean,
std]); metadata "<c>.bins". Model cases keep only a reference to the tensor in resources/models.
"""

import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from goldenlib import load_file, save_file  # noqa: E402

OUT = os.path.join(HERE, "snapshot")
MODELS = os.path.join(HERE, "..", "..", "resources", "models")


def expected(t, bins):
    finite = t[torch.isfinite(t)]
    lo, hi = finite.min().item(), finite.max().item()
    counts = torch.histc(finite, bins=bins)  # range from the data, widened when constant
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    d = finite.double()
    stats = torch.tensor([d.min(), d.max(), d.mean(), d.std()], dtype=torch.float64)
    return counts.to(torch.int64), torch.tensor([lo, hi], dtype=torch.float64), stats


def main():
    g = torch.Generator().manual_seed(5)
    cases = {
        "randn": (torch.randn(1000, generator=g), 64),
        "rank3": (torch.rand(3, 4, 5, generator=g) * 6 - 2, 7),
        # Values on the bin edges: float rounding decides, the last edge falls in the last bin.
        "edges": (torch.linspace(0, 1, 11), 10),
        "thirds": (torch.tensor([0.0, 1 / 3, 2 / 3, 1.0, 0.1, 0.7, 0.3]), 3),
        "constant": (torch.full((5,), 2.5), 4),
        "f64": (torch.randn(500, generator=g, dtype=torch.float64), 33),
        "nonfinite": (torch.tensor([1.0, float("nan"), -2.0, float("inf"), 0.5, -float("inf"),
                                    3.0, 0.25]), 5),
    }
    tensors, meta = {}, {}
    for name, (t, bins) in cases.items():
        counts, rng, stats = expected(t, bins)
        tensors[name + ".input"] = t
        tensors[name + ".counts"] = counts
        tensors[name + ".range"] = rng
        tensors[name + ".stats"] = stats
        meta[name + ".bins"] = str(bins)
    # The bundled models as the window shows them with its default 64 bins.
    for model, key in (("mlp", "3.weight"), ("mlp", "5.bias"), ("cnn", "0.weight")):
        t = load_file(os.path.join(MODELS, model + ".safetensors"))[0][key]
        counts, rng, stats = expected(t, 64)
        name = model + "/" + key
        tensors[name + ".counts"] = counts
        tensors[name + ".range"] = rng
        tensors[name + ".stats"] = stats
        meta[name + ".bins"] = "64"
    os.makedirs(OUT, exist_ok=True)
    save_file(tensors, os.path.join(OUT, "histc.safetensors"), meta)


if __name__ == "__main__":
    main()
