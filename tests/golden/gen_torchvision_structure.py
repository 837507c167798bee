"""The structure of every torchvision 0.14 classification architecture nnscope builds (issue #16):
for each model, its state_dict (keys, dtypes, shapes, in order) and its module tree (paths and
class names), as counts and SHA-256 digests, whole and per top-level child, so that a small JSON
pins hundreds of thousands of entries. Read by tests/vision/tst_torchvision_structure.cpp, which
digests the engine's modules the same way.

Run: /usr/bin/python3 tests/golden/gen_torchvision_structure.py
Writes tests/golden/vision/structure.json. Weights are never initialised (only shapes matter).

Digested text, one line per entry:
  state:   "<key> <dtype> <d0>,<d1>,...\n"   (dtype as PyTorch names it without "torch.")
  modules: "<path> <class name>\n"           (the root's path is "")
"""

import hashlib
import json
import os

import torch
import torchvision

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vision", "structure.json")

NAMES = [
    "alexnet",
    "densenet121", "densenet161", "densenet169", "densenet201",
    "efficientnet_b0", "efficientnet_b1", "efficientnet_b2", "efficientnet_b3",
    "efficientnet_b4", "efficientnet_b5", "efficientnet_b6", "efficientnet_b7",
    "mobilenet_v2", "mobilenet_v3_large", "mobilenet_v3_small",
    "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
    "resnext101_32x8d", "resnext101_64x4d", "resnext50_32x4d",
    "shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "shufflenet_v2_x1_5", "shufflenet_v2_x2_0",
    "squeezenet1_0", "squeezenet1_1",
    "vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16", "vgg16_bn", "vgg19", "vgg19_bn",
    "wide_resnet101_2", "wide_resnet50_2",
]


def skip_initialisation():
    identity = lambda tensor, *args, **kwargs: tensor  # noqa: E731
    for name in ("uniform_", "normal_", "constant_", "ones_", "zeros_", "kaiming_uniform_",
                 "kaiming_normal_", "xavier_uniform_", "xavier_normal_", "trunc_normal_"):
        setattr(torch.nn.init, name, identity)


def digest(lines):
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def state_line(key, tensor):
    return f"{key} {str(tensor.dtype).replace('torch.', '')} {','.join(map(str, tensor.shape))}\n"


def structure(model):
    state = model.state_dict()
    modules = [f"{path} {type(m).__name__}\n" for path, m in model.named_modules()]
    children = {}
    for child, _ in model.named_children():
        lines = [state_line(k, t) for k, t in state.items() if k.startswith(child + ".")]
        children[child] = {"keys": len(lines), "state_digest": digest(lines)}
    return {
        "keys": len(state),
        "state_digest": digest([state_line(k, t) for k, t in state.items()]),
        "modules": len(modules),
        "module_digest": digest(modules),
        "parameters": sum(p.numel() for p in model.parameters()),
        "children": children,
    }


def main():
    skip_initialisation()
    result = {"torch": torch.__version__, "torchvision": torchvision.__version__, "models": {}}
    for name in NAMES:
        model = getattr(torchvision.models, name)(weights=None)
        result["models"][name] = structure(model)
        print(name, result["models"][name]["keys"], flush=True)
    with open(OUT, "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
