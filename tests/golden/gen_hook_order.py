#!/usr/bin/python3
"""The order in which PyTorch 1.13 fires a training step's hooks, for tst_hook_order.

On every module of the bundled mlp and cnn (the root Sequential included) a forward pre-hook, a
forward hook (which registers a tensor hook on the output it is given: "output_grad") and a
backward hook, plus param.register_hook on every parameter; then one step:
zero_grad, forward, CrossEntropyLoss, backward, SGD step. Writes train/hook_order.json:
{"mlp": {"full": [[module, kind], ...], "legacy": [...]}, "cnn": {...}}, where module is the
dotted path ("" the root; a parameter's name for "grad") and kind is hook_kind_name()'s
("forward_pre", "forward", "backward", "backward_legacy", "grad", "output_grad").

PyTorch 1.13 refuses register_full_backward_hook and register_backward_hook on one module
("Cannot use both regular backward hooks and full backward hooks on a single Module"), so each
model runs twice: "full" with register_full_backward_hook, "legacy" with register_backward_hook.
register_full_backward_pre_hook came with PyTorch 2.0 and has no trace here. The order does not
depend on the values: the batch is 4 standard-normal images.

Run with /usr/bin/python3 (torch 1.13) from anywhere.
"""

import json
import os
import sys
import warnings

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench"))
from torch_step import build_default  # noqa: E402


def trace(name, backward):
    torch.manual_seed(0)
    model = build_default(name, torch)
    events = []
    for path, module in model.named_modules():

        def pre(m, inputs, path=path):
            events.append([path, "forward_pre"])

        def fwd(m, inputs, output, path=path):
            events.append([path, "forward"])
            if output.requires_grad:
                output.register_hook(lambda grad, path=path: events.append([path, "output_grad"]))

        def bwd(m, grad_input, grad_output, path=path, kind=backward):
            events.append([path, kind])

        module.register_forward_pre_hook(pre)
        module.register_forward_hook(fwd)
        if backward == "backward":
            module.register_full_backward_hook(bwd)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                module.register_backward_hook(bwd)
    for pname, p in model.named_parameters():
        p.register_hook(lambda grad, pname=pname: events.append([pname, "grad"]))

    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    x = torch.randn(4, 1, 28, 28)
    y = torch.tensor([0, 3, 1, 2])
    optimizer.zero_grad()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
    optimizer.step()
    return events


def main():
    out = {name: {"full": trace(name, "backward"), "legacy": trace(name, "backward_legacy")}
           for name in ("mlp", "cnn")}
    os.makedirs(os.path.join(HERE, "train"), exist_ok=True)
    path = os.path.join(HERE, "train", "hook_order.json")
    with open(path, "w") as f:
        f.write("{\n")
        models = list(out.items())
        for i, (name, runs) in enumerate(models):
            f.write(f'  "{name}": {{\n')
            for j, (run, events) in enumerate(runs.items()):
                f.write(f'    "{run}": [\n')
                f.write(",\n".join("      " + json.dumps(e) for e in events))
                f.write("\n    ]" + ("," if j + 1 < len(runs) else "") + "\n")
            f.write("  }" + ("," if i + 1 < len(models) else "") + "\n")
        f.write("}\n")
    print(f"wrote {path} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
