"""Golden for nn::module_argument_specs (issue #17, the builder's argument forms): the constructor
arguments of every torch.nn class nnscope builds, as inspect.signature reports them in PyTorch
1.13: name, and repr(default) or null for a required argument. Arguments that only place or type
the tensors (device, dtype), deprecated ones (size_average, reduce), private ones (_weight) and a
container's initial contents (*args, modules) are left out: nnscope's registry has none of them.

Run: /usr/bin/python3 tests/golden/gen_module_arguments.py
     (writes tests/golden/module_arguments/signatures.json)
"""

import inspect
import json
import os

from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "module_arguments")

# Every type nn::module_type_names() lists (the test fails on one missing here).
TYPES = [
    "AdaptiveAvgPool2d", "AvgPool2d", "BatchNorm1d", "BatchNorm2d", "Conv1d", "Conv2d",
    "CrossEntropyLoss", "Dropout", "ELU", "Embedding", "EmbeddingBag", "Flatten", "GELU",
    "Hardsigmoid", "Hardswish", "Identity", "LayerNorm", "LazyLinear", "LeakyReLU", "Linear",
    "LogSoftmax", "MSELoss", "MaxPool2d", "ModuleDict", "ModuleList", "ReLU", "ReLU6", "SiLU",
    "Sequential", "Sigmoid", "Softmax", "Softplus", "Tanh",
]
SKIPPED = {"device", "dtype", "size_average", "reduce", "_weight", "modules"}


def arguments(cls):
    out = []
    for p in list(inspect.signature(cls.__init__).parameters.values())[1:]:
        if p.name in SKIPPED or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        out.append([p.name, None if p.default is p.empty else repr(p.default)])
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    golden = {name: arguments(getattr(nn, name)) for name in TYPES}
    lines = [json.dumps(name) + ": " + json.dumps(golden[name]) for name in sorted(golden)]
    with open(os.path.join(OUT, "signatures.json"), "w") as f:
        f.write("{\n" + ",\n".join(lines) + "\n}\n")


if __name__ == "__main__":
    main()
