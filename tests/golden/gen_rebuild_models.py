"""Golden files for tst_module_rebuild: small models of standard torch.nn layers saved as whole
models (torch.save(model), zip and legacy), TorchScript (torch.jit.script and torch.jit.trace),
and what PyTorch 1.13 computes with them in eval mode.

Run: /usr/bin/python3 tests/golden/gen_rebuild_models.py (writes tests/golden/rebuild/).

For each model M (mlp, cnn, nested, embed, activations):
  M.pickle.pt, M.script.pt, M.trace.pt (and M.legacy.pt for some)
  M.safetensors: "input", "grad_output", "output" and, for float inputs, "grad.input"
                 (d(sum(output * grad_output)) / d input)
net.*: a custom __main__.Net wrapping standard layers (refused as a whole); net_features.safetensors
holds what its submodule "features" computes.
checkpoint.pt: {"model": the mlp, "epoch": 3}, whose model rebuilds by its path "model".
bad_*.pt: hostile variants (an attribute of the wrong type, a missing attribute, a weight of the
wrong shape, a child that is not a module, a layer declared far larger than its weight).
"""

import os
import sys
from collections import OrderedDict

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import goldenlib  # noqa: E402

OUT = os.environ.get("NNSCOPE_GOLDEN_OUT") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "rebuild")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU())
        self.blocks = nn.ModuleList([nn.Linear(16, 16), nn.Tanh()])
        self.heads = nn.ModuleDict({"a": nn.Linear(16, 3), "b": nn.Linear(16, 2)})
        self.scale = 0.5

    def forward(self, x):
        x = self.features(x).mean(dim=(2, 3))
        x = torch.cat([x, x, x, x], dim=1)
        for block in self.blocks:
            x = block(x)
        return self.heads["a"](x) * self.scale


def randomise(model):
    """uniform_ draws only (the same on every x86-64 machine) and distinct running stats."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.uniform_(-0.5, 0.5)
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.running_mean.uniform_(-0.2, 0.2)
                module.running_var.uniform_(0.5, 1.5)
                module.num_batches_tracked.fill_(7)
    return model


def models():
    torch.manual_seed(1616)
    out = OrderedDict()
    out["mlp"] = (
        nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 4, bias=False),
                      nn.Softmax(dim=1)),
        torch.rand(2, 8) * 2 - 1,
    )
    out["cnn"] = (
        nn.Sequential(
            nn.Conv2d(3, 6, 3, padding=1), nn.BatchNorm2d(6), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 8, (3, 3), stride=2, padding=(1, 1), groups=2, bias=False),
            nn.BatchNorm2d(8, eps=1e-3, momentum=0.2), nn.ReLU(inplace=True),
            nn.AvgPool2d(2), nn.Flatten(), nn.Linear(32, 5), nn.Sigmoid()),
        torch.rand(2, 3, 16, 16) * 2 - 1,
    )
    out["nested"] = (
        nn.Sequential(OrderedDict([
            ("block", nn.Sequential(nn.Linear(6, 6), nn.LayerNorm(6), nn.GELU())),
            ("head", nn.Sequential(nn.Identity(), nn.Linear(6, 3), nn.Tanh(),
                                   nn.LogSoftmax(dim=-1))),
        ])),
        torch.rand(3, 6) * 2 - 1,
    )
    out["embed"] = (
        nn.Sequential(nn.Embedding(10, 4, padding_idx=0), nn.Flatten(), nn.Linear(12, 3)),
        torch.tensor([[1, 0, 9], [3, 3, 2]]),
    )
    for name, (model, x) in out.items():
        randomise(model).eval()
    return out


def later_models():
    """Models added after the first set, on a seed of their own so the earlier files stay as
    they were."""
    torch.manual_seed(1618)
    out = OrderedDict()
    out["activations"] = (
        nn.Sequential(nn.Linear(6, 8), nn.LeakyReLU(0.1), nn.Linear(8, 8), nn.ELU(alpha=0.7),
                      nn.Linear(8, 3), nn.Softplus(beta=2, threshold=5)),
        torch.rand(4, 6) * 4 - 2,
    )
    for name, (model, x) in out.items():
        randomise(model).eval()
    return out


def goldens(model, x):
    x = x.clone()
    floating = x.is_floating_point()
    if floating:
        x.requires_grad_(True)
    y = model(x)
    g = (torch.rand(y.shape) * 2 - 1).to(y.dtype)
    tensors = {"input": x.detach(), "grad_output": g, "output": y.detach()}
    if floating:
        (y * g).sum().backward()
        tensors["grad.input"] = x.grad
    return tensors


def save_all(name, model, x, legacy=False):
    torch.save(model, os.path.join(OUT, name + ".pickle.pt"))
    if legacy:
        torch.save(model, os.path.join(OUT, name + ".legacy.pt"),
                   _use_new_zipfile_serialization=False)
    torch.jit.save(torch.jit.script(model), os.path.join(OUT, name + ".script.pt"))
    torch.jit.save(torch.jit.trace(model, x), os.path.join(OUT, name + ".trace.pt"))


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (model, x) in models().items():
        tensors = goldens(model, x)
        save_all(name, model, x, legacy=name == "cnn")
        goldenlib.save_file(tensors, os.path.join(OUT, name + ".safetensors"))

    torch.manual_seed(1617)
    net = randomise(Net()).eval()
    x = torch.rand(2, 1, 4, 4) * 2 - 1
    save_all("net", net, x)
    goldenlib.save_file(goldens(net.features, x), os.path.join(OUT, "net_features.safetensors"))

    # Conv2d's non-zeros padding modes: a trace keeps them only as a torch.pad call.
    torch.manual_seed(1618)
    pads = randomise(nn.Sequential(
        nn.Conv2d(2, 3, 3, padding=1, padding_mode="reflect"), nn.ReLU(),
        nn.Conv2d(3, 3, (2, 3), padding="same", padding_mode="replicate"),
        nn.Conv2d(3, 2, 3, stride=2, padding=(1, 2), padding_mode="circular"))).eval()
    x = torch.rand(2, 2, 6, 7) * 2 - 1
    save_all("pads", pads, x)
    goldenlib.save_file(goldens(pads, x), os.path.join(OUT, "pads.safetensors"))

    torch.manual_seed(1619)
    pads1d = randomise(nn.Sequential(
        nn.Conv1d(2, 3, 3, padding=1, padding_mode="reflect"), nn.ReLU(),
        nn.Conv1d(3, 2, 4, padding="same", padding_mode="replicate"),
        nn.Conv1d(2, 2, 3, stride=2, dilation=2, padding=2, padding_mode="circular"))).eval()
    x = torch.rand(2, 2, 9) * 2 - 1
    save_all("pads1d", pads1d, x)
    goldenlib.save_file(goldens(pads1d, x), os.path.join(OUT, "pads1d.safetensors"))

    # Hostile variants: each must be refused with a message naming the problem.
    bad = nn.Linear(4, 3)
    bad.in_features = "four"
    torch.save(nn.Sequential(bad), os.path.join(OUT, "bad_type.pt"))
    bad = nn.Conv2d(2, 3, 3)
    del bad.kernel_size
    torch.save(nn.Sequential(nn.ReLU(), bad), os.path.join(OUT, "bad_missing.pt"))
    bad = nn.Linear(4, 3)
    bad.weight = nn.Parameter(torch.zeros(3, 5))
    torch.save(bad, os.path.join(OUT, "bad_shape.pt"))
    bad = nn.Sequential(nn.ReLU())
    bad._modules["1"] = 3
    torch.save(bad, os.path.join(OUT, "bad_child.pt"))
    bad = nn.Linear(4, 3)
    bad.in_features = 10**12
    torch.save(bad, os.path.join(OUT, "bad_huge.pt"))
    torch.save({"model": models()["mlp"][0], "epoch": 3}, os.path.join(OUT, "checkpoint.pt"))
    torch.save(models()["mlp"][0].state_dict(), os.path.join(OUT, "state_dict.pt"))

    for name, (model, x) in later_models().items():
        tensors = goldens(model, x)
        save_all(name, model, x)
        goldenlib.save_file(tensors, os.path.join(OUT, name + ".safetensors"))


if __name__ == "__main__":
    main()
