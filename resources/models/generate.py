"""Writes the bundled default models, mlp.safetensors and cnn.safetensors, with real PyTorch 1.13:
the architecture JSON, seed 0, and the state_dict PyTorch's default init gives after
torch.manual_seed(0) (which loading the file without its tensors would reproduce exactly).

Run: /usr/bin/python3 resources/models/generate.py
The same architectures are compiled into nnscope-cli (src/cli/default_models.cpp) and built by
bench/torch_step.py.
"""

import json
import os
import sys

import torch

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
sys.path.insert(0, os.path.join(root, "tests", "golden"))
sys.path.insert(0, os.path.join(root, "bench"))
from gen_cli import architecture  # noqa: E402
from goldenlib import save_file  # noqa: E402
from torch_step import build_default  # noqa: E402


def main():
    for name in ("mlp", "cnn"):
        torch.manual_seed(0)
        model = build_default(name, torch)
        metadata = {
            "nnscope.architecture": json.dumps(architecture(model)),
            "nnscope.seed": "0",
        }
        state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        save_file(state, os.path.join(here, name + ".safetensors"), metadata)


if __name__ == "__main__":
    main()
