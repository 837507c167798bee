"""The input gradient of mobilenet_v2 (gen_vision_models.py's weights and input) computed by
PyTorch 1.13 in float64. In float32 a few ReLU6 inputs land on either side of a kink depending
on rounding, so the engine's float32 gradient and PyTorch's differ there by more than rounding;
in float64 no input comes that close. tests/vision/tst_torchvision_golden.cpp runs the engine's
model converted to float64 against this.

Run: /usr/bin/python3 tests/golden/gen_vision_float64.py
Writes tests/golden/vision/mobilenet_v2.float64.safetensors: "grad.input" [1, 3, 128, 128],
computed in float64 and stored rounded to float32 (the comparison is at 1e-4 of the scale).
"""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import goldenlib  # noqa: E402
from gen_vision_models import GOLDENS, MODELS, make_inputs, make_model  # noqa: E402

NAME = "mobilenet_v2"


def main():
    seed, _ = MODELS[NAME]
    model = make_model(NAME, seed).double()
    x, grad_output = make_inputs(seed)
    xg = x.double().requires_grad_(True)
    y = model(xg)
    (y * grad_output.double()).sum().backward()
    goldenlib.save_file({"grad.input": xg.grad.float()},
                        os.path.join(GOLDENS, f"{NAME}.float64.safetensors"),
                        {"model": NAME, "torch": torch.__version__, "computed_in": "float64"})


if __name__ == "__main__":
    main()
