"""Golden for workflows::apply_rules (issue #17): a small CNN built after torch.manual_seed(7)
(its default init draws first), then model.apply(init) with per-type rules, as the init function
nnscope writes for them (apply_rules_script); the resulting state_dict bit for bit and the order
in which apply visited the modules.

Run: /usr/bin/python3 tests/golden/gen_apply_rules.py  (writes tests/golden/apply_rules/)
"""

import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import goldenlib  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "apply_rules")


def init(m):
    if type(m) is nn.Conv2d and getattr(m, "weight", None) is not None:
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
    if type(m) is nn.Conv2d and getattr(m, "bias", None) is not None:
        nn.init.zeros_(m.bias)
    if type(m) is nn.Linear and getattr(m, "weight", None) is not None:
        nn.init.xavier_uniform_(m.weight, gain=1.0)
    if type(m) is nn.Linear and getattr(m, "bias", None) is not None:
        nn.init.normal_(m.bias, 0.0, 0.5)
    if type(m) is nn.BatchNorm2d and getattr(m, "weight", None) is not None:
        nn.init.uniform_(m.weight, 0.5, 1.5)
    if type(m) is nn.BatchNorm2d and getattr(m, "running_var", None) is not None:
        nn.init.constant_(m.running_var, 2.0)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(7)
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(),
        nn.Sequential(nn.Conv2d(4, 2, 1, bias=False), nn.Flatten()),
        nn.Linear(2 * 4 * 4, 3))
    names = {m: n for n, m in model.named_modules()}
    order = []
    model.apply(lambda m: order.append(names[m]))
    model.apply(init)
    goldenlib.save_file({k: v.contiguous() for k, v in model.state_dict().items()},
                        os.path.join(OUT, "state_dict.safetensors"),
                        {"apply_order": json.dumps(order)})


if __name__ == "__main__":
    main()
