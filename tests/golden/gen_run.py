"""Truth for tst_run_model: one forward and backward of the bundled models (seed 0) through module
hooks, as workflows::run_model records them.

Run: /usr/bin/python3 tests/golden/gen_run.py  (writes tests/golden/run/{mlp,cnn}.safetensors)

Each model is resources/models/<name>.safetensors rebuilt from torch.manual_seed(0) in eval mode;
the input is a batch of 1x28x28 images from torch.manual_seed(1): two for the mlp, one for the cnn
(whose activations are larger: the file stays small). A forward hook on every module keeps its
output and a full backward hook its output's gradient, for two backward passes:
  score.*  backward from the score of class 3 (summed over the batch),
  loss.*   backward from cross_entropy(output, label 7 for every sample), mean reduction (mlp only).
Names: "input", "output", "<mode>.out.<path>", "<mode>.grad.<path>", "<mode>.grad.input",
"loss.value"; the root module's path is "" (so "score.out.").
"""

import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "bench"))
from goldenlib import save_file  # noqa: E402
from torch_step import build_default  # noqa: E402

TARGET = 3
LABEL = 7


def record(model, x, mode):
    out, grad = {}, {}
    handles = []
    for path, module in model.named_modules():
        def fwd(m, inputs, output, path=path):
            out[path] = output.detach().clone()

        def bwd(m, grad_input, grad_output, path=path):
            grad[path] = grad_output[0].detach().clone()

        handles.append(module.register_forward_hook(fwd))
        handles.append(module.register_full_backward_hook(bwd))
    x = x.clone().requires_grad_(True)
    y = model(x)
    extra = {}
    if mode == "score":
        y[:, TARGET].sum().backward()
    else:
        loss = torch.nn.functional.cross_entropy(y, torch.full((y.shape[0],), LABEL))
        loss.backward()
        extra["loss.value"] = loss.detach().reshape(1)
    for h in handles:
        h.remove()
    model.zero_grad()
    tensors = {}
    for path in out:
        tensors[f"{mode}.out.{path}"] = out[path]
        tensors[f"{mode}.grad.{path}"] = grad[path]
    tensors[f"{mode}.grad.input"] = x.grad.detach().clone()
    tensors.update(extra)
    return y.detach(), tensors


def write(name, batch, modes):
    torch.manual_seed(0)
    model = build_default(name, torch).eval()
    torch.manual_seed(1)
    x = torch.randn(batch, 1, 28, 28)
    tensors = {"input": x}
    for mode in modes:
        y, recorded = record(model, x, mode)
        tensors["output"] = y
        tensors.update(recorded)
    os.makedirs(os.path.join(HERE, "run"), exist_ok=True)
    meta = {"target": str(TARGET), "label": str(LABEL)}
    save_file(tensors, os.path.join(HERE, "run", name + ".safetensors"), meta)


def main():
    write("mlp", 2, ("score", "loss"))
    write("cnn", 1, ("score",))


if __name__ == "__main__":
    main()
