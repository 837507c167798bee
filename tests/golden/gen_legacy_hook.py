"""Golden file for tst_hooks_legacy: PyTorch 1.13's deprecated Module.register_backward_hook next
to register_full_backward_hook on the same computations, with the warnings it gives.

The legacy hook is a post hook on the grad_fn of the module's output, so its grad_input is that
last operation's: for block = Sequential(Linear(4, 3), ReLU(), Linear(3, 2), Sigmoid()) it is the
gradient w.r.t. Sigmoid's input (shape [5, 2]), while the full hook gives the gradient w.r.t. the
block's input (shape [5, 4]). For a module of one operation (ReLU) both agree, and only an input
without a grad_fn (a leaf) makes PyTorch warn.

Cases (each: torch.manual_seed(0), the module built, x0 = det([5, 4]) requiring grad, x = x0 * 2
unless "leaf", loss = (module(x) * det(out shape, 0.5, 0.1)).sum(), backward):
  block        the Sequential above     relu        ReLU on x = x0 * 2
  relu_leaf    ReLU on the leaf x0
Each records, for the legacy and the full hook: grad_input and grad_output (shape + values, None
as null), the warnings' texts, x0.grad; and the legacy hook's grad_fn name.

Writes tests/golden/train/legacy_hook.json. Run: /usr/bin/python3 tests/golden/gen_legacy_hook.py
"""

import json
import math
import os
import warnings

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "train", "legacy_hook.json")


def det(shape, scale=1.0, shift=0.0):
    n = math.prod(shape)
    v = [math.sin(i * 1.37 + 0.3) * scale + shift for i in range(n)]
    return torch.tensor(v, dtype=torch.float32).reshape(shape)


def enc(t):
    if t is None:
        return None
    return {"shape": list(t.shape), "values": [float(v) for v in t.detach().reshape(-1).tolist()]}


def build(case):
    torch.manual_seed(0)
    if case == "block":
        return nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2), nn.Sigmoid())
    return nn.ReLU()


def run(case, kind):
    module = build(case)
    seen = {}

    def hook(m, grad_input, grad_output):
        seen["grad_input"] = [enc(g) for g in grad_input]
        seen["grad_output"] = [enc(g) for g in grad_output]

    if kind == "legacy":
        module.register_backward_hook(hook)
    else:
        module.register_full_backward_hook(hook)
    x0 = det([5, 4]).requires_grad_()
    x = x0 if case == "relu_leaf" else x0 * 2
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = module(x)
    if kind == "legacy":
        seen["operation"] = type(out.grad_fn).__name__
    loss = (out * det(list(out.shape), 0.5, 0.1)).sum()
    loss.backward()
    seen["warnings"] = [str(w.message) for w in caught if "backward hook" in str(w.message)]
    seen["x_grad"] = enc(x0.grad)
    return seen


def main():
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    golden = {case: {kind: run(case, kind) for kind in ("legacy", "full")}
              for case in ("block", "relu", "relu_leaf")}
    with open(OUT, "w") as f:
        json.dump(golden, f, indent=1)
    print(f"{OUT}: {os.path.getsize(OUT)} bytes")


if __name__ == "__main__":
    main()
