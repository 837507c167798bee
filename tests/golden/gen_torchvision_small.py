"""Numeric goldens for the torchvision families beyond the four models of gen_vision_models.py
(issue #16): mobilenet_v3_small, shufflenet_v2_x0_5 and densenet121 on a small input, in
float64 so that no ReLU6/Hardswish/max-pool kink can flip between two float32 roundings.

The weights are not stored: they are drawn by torch.manual_seed(SEED) then uniform_ over the
state_dict in order (below), which the engine reproduces bit for bit (its generator and uniform_
are PyTorch's), then converted to float64. Read by tests/vision/tst_torchvision_small.cpp.

Run: /usr/bin/python3 tests/golden/gen_torchvision_small.py
Writes tests/golden/vision/small.safetensors: "input" [1, 3, 64, 64], and per model M
"M.grad_output" [1, 1000], "M.output" and "M.grad.input", all computed in float64 and stored
rounded to float32 (the comparison is at 1e-4 of the scale).
"""

import math
import os
import sys

import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import goldenlib  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vision", "small.safetensors")
MODELS = {"mobilenet_v3_small": 1701, "shufflenet_v2_x0_5": 1702, "densenet121": 1703}
INPUT_SHAPE = (1, 3, 64, 64)


def fill(model, seed):
    """Every tensor of the state_dict, in order, from uniform_ after manual_seed(seed)."""
    torch.manual_seed(seed)
    with torch.no_grad():
        for key, t in model.state_dict().items():
            if key.endswith("num_batches_tracked"):
                continue
            if key.endswith("running_mean"):
                t.uniform_(-0.1, 0.1)
            elif key.endswith("running_var"):
                t.uniform_(0.5, 1.5)
            elif t.dim() > 1:
                fan_in = t[0].numel()
                bound = math.sqrt(3.0 / fan_in) * (math.sqrt(2.0) if t.dim() == 4 else 1.0)
                t.uniform_(-bound, bound)
            elif key.endswith("weight"):
                t.uniform_(0.5, 1.5)
            else:
                t.uniform_(-0.1, 0.1)


def main():
    g = torch.Generator().manual_seed(1700)
    x = (torch.rand(INPUT_SHAPE, generator=g) * 2 - 1).double()
    tensors = {"input": x.float()}
    for name, seed in MODELS.items():
        model = getattr(torchvision.models, name)(weights=None)
        fill(model, seed)
        model = model.double().eval()
        grad_output = (torch.rand((1, 1000), generator=g) * 2 - 1).double()
        xg = x.clone().requires_grad_(True)
        y = model(xg)
        (y * grad_output).sum().backward()
        tensors[f"{name}.grad_output"] = grad_output.float()
        tensors[f"{name}.output"] = y.detach().float()
        tensors[f"{name}.grad.input"] = xg.grad.float()
        print(name, float(y.abs().max()), float(xg.grad.abs().max()))
    goldenlib.save_file(tensors, OUT, {"torch": torch.__version__,
                                       "torchvision": torchvision.__version__,
                                       "seeds": ",".join(f"{n}={s}" for n, s in MODELS.items())})


if __name__ == "__main__":
    main()
