"""Golden for workflows::apply_rules (issue #17): a small CNN built after torch.manual_seed(7)
(its default init draws first), then model.apply(init) with per-type rules, as the init function
nnscope writes for them (apply_rules_script); the resulting state_dict bit for bit and the order
in which apply visited the modules. Also what each nn.init scheme raises on a LazyLinear's weight
before its first forward (lazy_errors.json; a function's address is left out of the text).

Run: /usr/bin/python3 tests/golden/gen_apply_rules.py  (writes tests/golden/apply_rules/)
"""

import json
import os
import re
import sys
import warnings

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
    lazy_errors()


SCHEMES = {
    "zeros": lambda t: nn.init.zeros_(t),
    "ones": lambda t: nn.init.ones_(t),
    "constant": lambda t: nn.init.constant_(t, 2.0),
    "normal": lambda t: nn.init.normal_(t, 0.0, 1.0),
    "uniform": lambda t: nn.init.uniform_(t, 0.0, 1.0),
    "xavier_uniform": lambda t: nn.init.xavier_uniform_(t, gain=1.0),
    "xavier_normal": lambda t: nn.init.xavier_normal_(t, gain=1.0),
    "kaiming_uniform": lambda t: nn.init.kaiming_uniform_(t, nonlinearity="relu"),
    "kaiming_normal": lambda t: nn.init.kaiming_normal_(t, nonlinearity="relu"),
}


def lazy_errors():
    warnings.simplefilter("ignore")  # "Lazy modules are a new feature"
    errors = {}
    for scheme, call in SCHEMES.items():
        try:
            call(nn.LazyLinear(4).weight)
            raise SystemExit(f"{scheme}: no error on an uninitialized parameter")
        except (ValueError, RuntimeError) as e:
            errors[scheme] = type(e).__name__ + ": " + re.sub(r" at 0x[0-9a-f]+", "", str(e))
    with open(os.path.join(OUT, "lazy_errors.json"), "w") as f:
        json.dump(errors, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
