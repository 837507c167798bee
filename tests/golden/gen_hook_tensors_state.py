#!/usr/bin/python3
"""Tensor hooks against module hooks in backward, state_dict hook order and _IncompatibleKeys
texts, from PyTorch 1.13, for tst_hooks_tensor_state. Writes nn/hooks_tensor_state.json:

"backward": {"input_grad": [...], "no_input_grad": [...]}: one backward of
  Sequential(fc1=Linear(3, 4), act=ReLU(), block=Sequential(Linear(4, 4), Tanh()),
  fc2=Linear(4, 2)) with, on every module (root included, in named_modules() order), a full
  backward hook ("backward:PATH") and a forward hook that registers a tensor hook on the output it
  is given ("output_grad:PATH"); a tensor hook on every parameter ("grad:NAME"), on the input
  ("input:") when it requires grad and on the tensor the model returns ("returned:"). The
  tensor hook in a forward hook sees the output before the module's full backward hook wraps it.
"state_dict": [...]: model.state_dict() with _register_state_dict_hook on every module
  ("state_dict:PATH").
"load": [...]: model.load_state_dict(sd) with _register_load_state_dict_pre_hook(with_module=True)
  ("load_state_dict_pre:PATH") and register_load_state_dict_post_hook ("load_state_dict_post:PATH")
  on every module.
"incompatible": repr(load_state_dict(..., strict=False)) when all keys match and when some are
  missing and unexpected, the strict RuntimeError text, and the size-mismatch text, for a module
  class named Net with one child fc = Linear(3, 3).

Run with /usr/bin/python3 (torch 1.13) from anywhere.
"""

import collections
import json
import os

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


def nested():
    torch.manual_seed(0)
    return nn.Sequential(collections.OrderedDict([
        ("fc1", nn.Linear(3, 4)),
        ("act", nn.ReLU()),
        ("block", nn.Sequential(nn.Linear(4, 4), nn.Tanh())),
        ("fc2", nn.Linear(4, 2)),
    ]))


def backward_order(input_grad):
    model = nested()
    events = []
    for path, module in model.named_modules():
        module.register_full_backward_hook(
            lambda *_, p=path: events.append("backward:" + p))

        def forward_hook(m, inputs, output, p=path):
            output.register_hook(lambda g: events.append("output_grad:" + p))

        module.register_forward_hook(forward_hook)
    for name, p in model.named_parameters():
        p.register_hook(lambda g, n=name: events.append("grad:" + n))
    x = torch.randn(2, 3, requires_grad=input_grad)
    if input_grad:
        x.register_hook(lambda g: events.append("input:"))
    y = model(x)
    y.register_hook(lambda g: events.append("returned:"))
    y.sum().backward()
    return events


def state_dict_order():
    model = nested()
    events = []
    for path, module in model.named_modules():
        module._register_state_dict_hook(
            lambda *_, p=path: events.append("state_dict:" + p))
    sd = model.state_dict()
    return events, sd


def load_order(sd):
    model = nested()
    events = []
    for path, module in model.named_modules():
        module._register_load_state_dict_pre_hook(
            lambda *_, p=path: events.append("load_state_dict_pre:" + p), with_module=True)
        module.register_load_state_dict_post_hook(
            lambda *_, p=path: events.append("load_state_dict_post:" + p))
    model.load_state_dict(sd)
    return events


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)

    def forward(self, x):
        return self.fc(x)


def incompatible():
    torch.manual_seed(0)
    out = {}
    net = Net()
    out["matched"] = repr(net.load_state_dict(Net().state_dict(), strict=False))
    sd = Net().state_dict()
    del sd["fc.bias"]
    sd["extra"] = torch.zeros(1)
    out["non_strict"] = repr(net.load_state_dict(sd, strict=False))
    try:
        net.load_state_dict(sd)
    except RuntimeError as e:
        out["strict"] = str(e)
    only_missing = Net().state_dict()
    del only_missing["fc.weight"]
    out["only_missing"] = repr(net.load_state_dict(only_missing, strict=False))
    wrong = Net().state_dict()
    wrong["fc.weight"] = torch.zeros(2, 3)
    try:
        net.load_state_dict(wrong)
    except RuntimeError as e:
        out["size"] = str(e)
    return out


def main():
    sd_events, sd = state_dict_order()
    out = {
        "backward": {"input_grad": backward_order(True), "no_input_grad": backward_order(False)},
        "state_dict": sd_events,
        "load": load_order(sd),
        "incompatible": incompatible(),
    }
    path = os.path.join(HERE, "nn", "hooks_tensor_state.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {path} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
