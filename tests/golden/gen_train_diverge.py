#!/usr/bin/python3
"""Where PyTorch 1.13 first meets a NaN or Inf when mlp trains on Fashion-MNIST with a learning
rate far too large, for tst_cli_train_break.

The recipe of `nnscope-cli train --model mlp --dataset fashion-mnist --optimizer sgd --lr LR`
(bench/torch_train.py: torch.manual_seed(0), the model, SGD, DataLoader(shuffle=True, batch 64)),
with a forward hook and a full backward hook on every module that apply the rule of
`--break-on nonfinite`: stop at the first hook whose tensors hold a NaN or Inf; in forward, blame
the module whose output is non-finite from finite inputs (forward hooks fire innermost first); in
backward, the one whose grad_input is non-finite from a finite grad_output. Then the same run
under torch.autograd.detect_anomaly(), which names the backward function that first returned NaN.

Writes train/diverge.json: per learning rate, the step, module, type, hook, tensor, NaN and Inf
counts of the first non-finite value, the losses before it, and detect_anomaly's step and
message. Needs Debian's dataset-fashion-mnist. Run with /usr/bin/python3.
"""

import json
import os
import re
import sys
import warnings

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench"))
from torch_step import build_default  # noqa: E402
from torch_train import FASHION, load_split  # noqa: E402

MAX_STEPS = 50


class Found(Exception):
    pass


def counts(tensors):
    nan = inf = 0
    for t in tensors:
        if t is not None:
            nan += int(torch.isnan(t).sum())
            inf += int(torch.isinf(t).sum())
    return nan, inf


def setup(lr):
    torch.manual_seed(0)
    model = build_default("mlp", torch)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    x, y = load_split(torch, FASHION, "train", 0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=64,
                                         shuffle=True)
    return model, optimizer, loader


def first_nonfinite(lr):
    model, optimizer, loader = setup(lr)
    state = {"step": 0}
    losses = []

    def forward_hook(m, inputs, output, path=None):
        n_in, i_in = counts(inputs)
        n_out, i_out = counts([output])
        if n_in + i_in:
            raise Found(dict(module=path, hook="forward", tensor="input", nan=n_in, inf=i_in))
        if n_out + i_out:
            raise Found(dict(module=path, hook="forward", tensor="output", nan=n_out, inf=i_out,
                             operation=type(output.grad_fn).__name__))

    def backward_hook(m, grad_input, grad_output, path=None):
        n_in, i_in = counts(grad_input)
        n_out, i_out = counts(grad_output)
        if n_out + i_out:
            raise Found(dict(module=path, hook="backward", tensor="grad_output", nan=n_out,
                             inf=i_out))
        if n_in + i_in:
            raise Found(dict(module=path, hook="backward", tensor="grad_input", nan=n_in,
                             inf=i_in))

    for path, module in model.named_modules():
        module.register_forward_hook(lambda m, i, o, path=path: forward_hook(m, i, o, path))
        module.register_full_backward_hook(
            lambda m, gi, go, path=path: backward_hook(m, gi, go, path))
    try:
        for x, y in loader:
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x), y)
            if not torch.isfinite(loss):
                raise Found(dict(module=None, hook="loss", tensor="loss", nan=0, inf=0))
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            state["step"] += 1
            if state["step"] == MAX_STEPS:
                return None
    except Found as found:
        hit = found.args[0]
        types = dict(model.named_modules())
        hit["type"] = type(types[hit["module"]]).__name__ if hit["module"] is not None else ""
        hit["step"] = state["step"]
        hit["losses"] = losses
        return hit
    return None


def anomaly(lr):
    model, optimizer, loader = setup(lr)
    for step, (x, y) in enumerate(loader):
        if step == MAX_STEPS:
            return None
        optimizer.zero_grad()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "Anomaly Detection has been enabled"
                with torch.autograd.detect_anomaly():
                    loss = torch.nn.functional.cross_entropy(model(x), y)
                    loss.backward()
        except RuntimeError as error:
            text = str(error).splitlines()[0]
            name = re.search(r"Function '(\w+)'", text)
            return dict(step=step, message=text, function=name.group(1) if name else "")
        optimizer.step()
    return None


def main():
    if not os.path.isdir(FASHION):
        raise SystemExit(f"gen_train_diverge.py: no Fashion-MNIST in {FASHION}")
    torch.set_num_threads(1)
    out = {}
    for lr in ("1e4", "1e6"):
        out[lr] = {"first_nonfinite": first_nonfinite(float(lr)), "detect_anomaly": anomaly(float(lr))}
        print(lr, json.dumps(out[lr]))
    path = os.path.join(HERE, "train", "diverge.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {path} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
