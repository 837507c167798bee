"""Goldens for workflows::dry_run (the model builder's forward table, issue #17): each model
is given as nnscope's architecture JSON and built the same way in PyTorch 1.13; one eval-mode
forward on zeros through forward pre-hooks and forward hooks records, per module in
named_modules() order, the input shapes and output shape of its last call, how often it ran, its
parameter counts (own and with descendants, after the forward: a LazyLinear has them only then)
and whether it trains; or PyTorch's error where the forward stops.

Run: /usr/bin/python3 tests/golden/gen_dry_run.py   (writes tests/golden/dry_run/cases.json)
"""

import json
import os

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dry_run")

CASES = [
    ("lazy_mlp", {"type": "Sequential", "children": [
        ["0", {"type": "Flatten"}],
        ["1", {"type": "LazyLinear", "out_features": 32}],
        ["2", {"type": "ReLU"}],
        ["3", {"type": "Linear", "in_features": 32, "out_features": 10}]]}, [2, 1, 4, 4]),
    ("cnn", {"type": "Sequential", "children": [
        ["conv", {"type": "Conv2d", "in_channels": 1, "out_channels": 4, "kernel_size": 3,
                  "padding": 1}],
        ["bn", {"type": "BatchNorm2d", "num_features": 4}],
        ["relu", {"type": "ReLU"}],
        ["pool", {"type": "MaxPool2d", "kernel_size": 2}],
        ["flat", {"type": "Flatten"}],
        ["head", {"type": "Sequential", "children": [
            ["0", {"type": "Linear", "in_features": 16, "out_features": 3}],
            ["1", {"type": "Identity"}]]}]]}, [2, 1, 4, 4]),
    ("grouped_conv", {"type": "Sequential", "children": [
        ["0", {"type": "Conv2d", "in_channels": 4, "out_channels": 6, "kernel_size": [3, 1],
               "stride": 2, "groups": 2, "bias": False}],
        ["1", {"type": "AdaptiveAvgPool2d", "output_size": 1}]]}, [3, 4, 7, 5]),
    ("modulelist_root", {"type": "ModuleList", "children": [
        ["0", {"type": "Linear", "in_features": 2, "out_features": 2}]]}, [1, 2]),
    ("modulelist_inside", {"type": "Sequential", "children": [
        ["0", {"type": "Linear", "in_features": 4, "out_features": 4}],
        ["1", {"type": "ModuleList", "children": [["0", {"type": "ReLU"}]]}]]}, [2, 4]),
    ("shape_error", {"type": "Sequential", "children": [
        ["0", {"type": "Linear", "in_features": 4, "out_features": 3}],
        ["1", {"type": "Linear", "in_features": 4, "out_features": 2}]]}, [2, 4]),
]


def build(spec):
    args = {k: v for k, v in spec.items() if k not in ("type", "children")}
    args = {k: tuple(v) if isinstance(v, list) else v for k, v in args.items()}
    module = getattr(nn, spec["type"])(**args)
    for name, child in spec.get("children", []):
        module.add_module(name, build(child))
    return module


def record(spec, shape):
    model = build(spec).eval()
    rows = {}
    names = {}
    for path, m in model.named_modules():
        names[m] = path
        rows[path] = {"calls": 0, "inputs": [], "output": None}

    def pre(m, inputs):
        rows[names[m]]["inputs"] = [list(t.shape) for t in inputs]

    def post(m, inputs, output):
        row = rows[names[m]]
        row["calls"] += 1
        row["output"] = list(output.shape)

    for m in names:
        m.register_forward_pre_hook(pre)
        m.register_forward_hook(post)
    error = None
    out = None
    try:
        with torch.no_grad():
            out = list(model(torch.zeros(shape)).shape)
    except Exception as e:  # what the learner sees
        error = f"{type(e).__name__}: {e}"
    result = []
    for path, m in model.named_modules():
        row = rows[path]
        row["path"] = path
        row["type"] = type(m).__name__
        row["own_parameters"] = sum(p.numel() for p in m.parameters(recurse=False))
        row["parameters"] = sum(p.numel() for p in m.parameters())
        row["trainable"] = any(p.requires_grad for p in m.parameters())
        result.append(row)
    return {"rows": result, "output": out, "error": error}


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    cases = []
    for name, spec, shape in CASES:
        cases.append({"name": name, "architecture": spec, "input": shape,
                      **record(spec, shape)})
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
