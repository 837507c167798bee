"""Golden files for `nnscope-cli run` with named inputs (tests/cli/tst_cli_run_named.cpp), from
real PyTorch 1.13: operations called by name (op:gather ...) and a loss model taking input and
target, forward and backward.

Run: /usr/bin/python3 tests/golden/gen_cli_named.py (writes tests/golden/cli_named/).

For each case NAME it writes
  NAME_in.safetensors        the tensors, mostly under PyTorch's argument names; some under
                             another name, which the case picks with NAME=FILE:TENSOR
  NAME_expected.safetensors  "output" and "grad.<name>" for every tensor PyTorch differentiates;
                             metadata "file" (op:NAME or a model file of this folder), "inputs"
                             (the --input values, FILE relative to this folder, ';'-separated) and
                             "args" (the --arg values, ';'-separated)
and the loss model ce_model.safetensors (native: nnscope.architecture + its weight buffer).
"""

import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenlib import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cli_named")


def write(name, fn, tensors, differentiable, file, inputs, args=(), grad_output=True, g=None):
    """fn(**tensors) is the call; `differentiable` names the tensors given requires_grad."""
    leaves = {k: (v.clone().requires_grad_(True) if k in differentiable else v)
              for k, v in tensors.items()}
    out = fn(**leaves)
    stored = dict(tensors)
    expected = {"output": out.detach()}
    gout = torch.randn(out.shape, generator=g) if grad_output else torch.ones_like(out)
    if grad_output:
        stored["grad_output"] = gout
    out.backward(gout)
    for k in differentiable:
        expected["grad." + k] = leaves[k].grad
    renames = dict(a.split(":")[::-1] for a in inputs if ":" in a)  # stored name -> arg name
    stored = {next((s for s, a in renames.items() if a.split("=")[0] == k), k): v
              for k, v in stored.items()}
    save_file(stored, os.path.join(OUT, name + "_in.safetensors"))
    metadata = {
        "file": file,
        "inputs": ";".join(i.replace("IN", name + "_in.safetensors") for i in inputs),
        "args": ";".join(args),
    }
    save_file(expected, os.path.join(OUT, name + "_expected.safetensors"), metadata)


def main():
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(1713)
    r = lambda *shape: torch.randn(*shape, generator=g)
    x34 = r(3, 4)
    write("gather", lambda input, index: torch.gather(input, 1, index),
          {"input": x34, "index": torch.tensor([[0, 3], [3, 3], [1, 0]])}, ["input"],
          "op:gather", ["input=IN", "index=IN:idx", "grad_output=IN"], ["dim=1"], g=g)
    write("gather_dim0", lambda input, index: torch.gather(input, -2, index),
          {"input": x34, "index": torch.tensor([[2, 2, 0, 2], [0, 2, 2, 2]])}, ["input"],
          "op:gather", ["IN"], ["dim=-2"], g=g)
    write("index_select", lambda input, index: torch.index_select(input, -1, index),
          {"input": r(2, 3, 4), "index": torch.tensor([3, 0, 3], dtype=torch.int32)}, ["input"],
          "op:index_select", ["IN"], ["dim=-1"], g=g)
    write("scatter_add", lambda input, index, src: torch.scatter_add(input, 0, index, src),
          {"input": x34, "index": torch.tensor([[2, 2, 0, 2], [0, 2, 0, 0]]), "src": r(2, 4)}, ["input", "src"],
          "op:scatter_add", ["IN"], ["dim=0"], g=g)
    write("embedding", lambda input, weight: F.embedding(input, weight, padding_idx=1),
          {"input": torch.tensor([[4, 1, 4], [0, 4, 1]]), "weight": r(5, 3)}, ["weight"],
          "op:embedding", ["input=IN:tokens", "weight=IN", "grad_output=IN"], ["padding_idx=1"], g=g)
    logits, target = r(5, 4), torch.tensor([1, 0, 3, 3, 2])
    write("cross_entropy", lambda input, target: F.cross_entropy(input, target),
          {"input": logits, "target": target}, ["input"], "op:cross_entropy", ["IN"],
          grad_output=False)
    w = torch.tensor([1.0, 2.0, 0.5, 1.5])
    write("cross_entropy_rules",
          lambda input, target, weight: F.cross_entropy(input, target, weight, ignore_index=3,
                                                        reduction="sum", label_smoothing=0.2),
          {"input": logits, "target": target, "weight": w}, ["input"], "op:cross_entropy",
          ["IN"], ["ignore_index=3", "reduction=sum", "label_smoothing=0.2"], g=g)
    write("nll_loss",
          lambda input, target, weight: F.nll_loss(input, target, weight, ignore_index=0),
          {"input": F.log_softmax(logits, 1), "target": target, "weight": w}, ["input"],
          "op:nll_loss", ["input=IN", "target=IN:labels", "weight=IN"], ["ignore_index=0"],
          grad_output=False)
    write("nll_loss_none", lambda input, target: F.nll_loss(input, target, reduction="none"),
          {"input": F.log_softmax(logits, 1), "target": target}, ["input"], "op:nll_loss",
          ["IN"], ["reduction=none"], g=g)
    write("mse_loss", lambda input, target: F.mse_loss(input, target, reduction="sum"),
          {"input": x34, "target": r(3, 4)}, ["input", "target"], "op:mse_loss", ["IN"],
          ["reduction=sum"], grad_output=False)
    model = nn.CrossEntropyLoss(weight=w, ignore_index=0, label_smoothing=0.1)
    # CrossEntropyLoss's deprecated size_average / reduce are no attributes: written by hand.
    arch = {"type": "CrossEntropyLoss", "weight": w.tolist(), "ignore_index": 0,
            "reduction": "mean", "label_smoothing": 0.1}
    save_file({"weight": w}, os.path.join(OUT, "ce_model.safetensors"),
              {"nnscope.architecture": json.dumps(arch), "nnscope.seed": "0"})
    write("ce_model", lambda input, target: model(input, target),
          {"input": logits, "target": target}, ["input"], "ce_model.safetensors",
          ["input=IN", "target=IN"], grad_output=False)


if __name__ == "__main__":
    main()
