"""Golden files for tst_whole_model: whole pickled models (torch.save(model)) and checkpoints that
hold the objects real training scripts put in them, with what PyTorch itself says about them.

Run: /usr/bin/python3 tests/golden/gen_whole_models.py (writes tests/golden/whole_models/).

For each model <name>.pt (zip) and <name>_legacy.pt (_use_new_zipfile_serialization=False),
<name>.json holds:
  "modules":    [[path, type], ...] as named_modules() lists them; type is the class name for
                torch/torchvision classes and module.qualname for others ("__main__.MyBlock")
  "extra_repr": {path: module.extra_repr()} for every module
  "parameters": [[name, shape, requires_grad], ...] as named_parameters() lists them
  "buffers":    [[name, shape, persistent], ...] as named_buffers() lists them
  "values":     {name: first value of the tensor} (checks that the right bytes are read)
The checkpoint file checkpoint_objects(.pt, _legacy.pt) has checkpoint_objects.json with
"metadata" (path -> the text nnscope must show) and "tensors" (name -> [shape, values]).
"""

import argparse
import json
import os
import pathlib
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torchvision

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "whole_models")


class MyBlock(nn.Module):
    """A custom class: tied weights, a frozen parameter, a non-persistent buffer, a shared
    submodule, a plain tensor attribute and plain attributes of its own."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Linear(4, 3)
        self.decoder = nn.Linear(3, 4, bias=False)
        self.tied = nn.Linear(3, 4, bias=False)
        self.norm = nn.LayerNorm(4)
        self.embed = nn.Embedding(10, 4, padding_idx=0)
        self.act = nn.GELU()
        self.shared = self.act  # one module under two names: named_modules lists it once
        self.frozen = nn.Parameter(torch.tensor([0.5, -0.5]), requires_grad=False)
        self.register_buffer("steps", torch.tensor([3], dtype=torch.int64))
        self.register_buffer("cache", torch.ones(2), persistent=False)
        self.plain = torch.tensor([7.0])  # not registered: no parameter, no buffer
        self.scale = 0.25
        self.name = "block"


class Outer(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 2, 3, padding=1, bias=False)
        self.block = MyBlock()
        self.head = nn.ModuleDict({"out": nn.Linear(4, 2)})
        self.blocks = nn.ModuleList([nn.Identity(), nn.Dropout(0.25)])


def type_name(module):
    cls = type(module)
    if cls.__module__.split(".")[0] in ("torch", "torchvision"):
        return cls.__name__
    return cls.__module__ + "." + cls.__qualname__


def expected_model(model):
    values = {}
    for name, t in list(model.named_parameters()) + list(model.named_buffers()):
        values[name] = t.detach().reshape(-1)[0].item() if t.numel() else None
    non_persistent = set()
    for path, m in model.named_modules():
        for b in m._non_persistent_buffers_set:
            non_persistent.add((path + "." if path else "") + b)
    return {
        "modules": [[path, type_name(m)] for path, m in model.named_modules()],
        "extra_repr": {path: m.extra_repr() for path, m in model.named_modules()},
        "parameters": [[n, list(p.shape), p.requires_grad] for n, p in model.named_parameters()],
        "buffers": [[n, list(b.shape), n not in non_persistent] for n, b in model.named_buffers()],
        "values": values,
    }


def save_model(name, model, legacy=True):
    model.eval()
    for suffix, new_zip in [("", True)] + ([("_legacy", False)] if legacy else []):
        path = os.path.join(OUT, name + suffix + ".pt")
        torch.save(model, path, _use_new_zipfile_serialization=new_zip)
        loaded = torch.load(path)
        assert [n for n, _ in loaded.named_parameters()] == [n for n, _ in
                                                             model.named_parameters()]
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(expected_model(model), f, indent=1)


def sequential():
    torch.manual_seed(0)
    return nn.Sequential(nn.Flatten(), nn.Linear(6, 4), nn.ReLU(), nn.Dropout(0.1),
                         nn.Linear(4, 2, bias=False))


def small_cnn():
    torch.manual_seed(1)
    model = nn.Sequential(
        nn.Conv2d(3, 4, 3, stride=2, padding=1), nn.BatchNorm2d(4), nn.ReLU(inplace=True),
        nn.MaxPool2d(2), nn.Conv2d(4, 4, (1, 3), groups=2, dilation=(1, 2), padding_mode="zeros"),
        nn.BatchNorm2d(4, momentum=None, eps=1e-3), nn.LeakyReLU(0.2),
        nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(4, 3))
    model.train()
    model(torch.randn(2, 3, 24, 24))  # moves the running statistics and num_batches_tracked
    return model


def custom():
    torch.manual_seed(2)
    model = Outer()
    model.block.decoder.weight = nn.Parameter(model.block.encoder.weight.t().contiguous())
    model.block.tied.weight = model.block.decoder.weight  # the same Parameter in two modules
    return model


def narrow_resnet18():
    """The real torchvision resnet18 tree, every tensor a stride-0 view of one element so that the
    file stays a few kilobytes (torch.save writes each one-element storage once)."""
    model = torchvision.models.resnet18()
    with torch.no_grad():
        for m in model.modules():
            for key, p in list(m._parameters.items()):
                if p is not None:
                    m._parameters[key] = nn.Parameter(torch.full((), 0.5).expand(p.shape))
            for key, b in list(m._buffers.items()):
                if b is not None:
                    m._buffers[key] = torch.zeros((), dtype=b.dtype).expand(b.shape)
    return model


class PretrainedConfig:
    """What a Hugging Face config is to a pickle: a class with attributes in its __dict__."""

    def __init__(self):
        self.hidden_size = 64
        self.num_attention_heads = 4
        self.architectures = ["TinyModel"]
        self.torch_dtype = torch.float32


class AttributeDict(dict):
    """Lightning's hyper_parameters container: a dict subclass."""


class ModelCheckpoint:
    pass


def checkpoint_objects():
    torch.manual_seed(3)
    model = nn.Linear(2, 2)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(torch.ones(1, 2)).sum().backward()
    opt.step()
    args = argparse.Namespace(lr=0.01, epochs=3, data=pathlib.PosixPath("/data/run1"),
                              arch="resnet18")
    hparams = AttributeDict(lr=0.001, activation=nn.ReLU, layers=[2, 3])
    ckpt = OrderedDict([
        ("epoch", 5),
        ("args", args),
        ("best_acc", np.float64(0.875)),
        ("step", np.int64(1200)),
        ("ratio", np.float32(0.5)),
        ("flag", np.bool_(True)),
        ("mean", np.arange(6, dtype=np.float32).reshape(2, 3)),
        ("fortran", np.asfortranarray(np.arange(6, dtype=np.int64).reshape(2, 3))),
        ("labels", np.array(["cat", "dog"])),
        ("out_dir", pathlib.PosixPath("/runs/exp1")),
        ("state_dict", model.state_dict()),
        ("optimizer", opt.state_dict()),
        ("scaler", {"scale": 65536.0, "growth_factor": 2.0, "backoff_factor": 0.5,
                    "growth_interval": 2000, "_growth_tracker": 0}),
        ("hyper_parameters", hparams),
        ("callbacks", {"ModelCheckpoint{'monitor': 'val_loss'}": {"best_model_score":
                                                                     torch.tensor(0.25),
                                                                     "cls": ModelCheckpoint}}),
        ("config", PretrainedConfig()),
    ])
    for suffix, new_zip in [("", True), ("_legacy", False)]:
        path = os.path.join(OUT, "checkpoint_objects" + suffix + ".pt")
        torch.save(ckpt, path, _use_new_zipfile_serialization=new_zip)
        torch.load(path)
    metadata = {
        "epoch": "5",
        "args": "<argparse.Namespace>",
        "args.lr": "0.01",
        "args.epochs": "3",
        "args.data": "PosixPath('/data/run1')",
        "args.arch": "'resnet18'",
        "best_acc": "0.875",
        "step": "1200",
        "ratio": "0.5",
        "flag": "True",
        "labels": "ndarray(shape=(2,), dtype=<U3)",
        "out_dir": "PosixPath('/runs/exp1')",
        "scaler.scale": "65536.0",
        "scaler.growth_interval": "2000",
        "scaler._growth_tracker": "0",
        "optimizer.param_groups.0.lr": "0.1",
        "optimizer.param_groups.0.momentum": "0.9",
        "hyper_parameters": "<__main__.AttributeDict>",
        "hyper_parameters.lr": "0.001",
        "hyper_parameters.activation": "<torch.nn.modules.activation.ReLU>",
        "hyper_parameters.layers": "[2, 3]",
        "callbacks.ModelCheckpoint{'monitor': 'val_loss'}.cls": "<__main__.ModelCheckpoint>",
        "config": "<__main__.PretrainedConfig>",
        "config.hidden_size": "64",
        "config.architectures": "['TinyModel']",
        "config.torch_dtype": "torch.float32",
    }
    tensors = {
        "mean": [[2, 3], [0, 1, 2, 3, 4, 5]],
        "fortran": [[2, 3], [0, 1, 2, 3, 4, 5]],
        "state_dict.weight": [[2, 2], model.weight.detach().reshape(-1).tolist()],
        "optimizer.state.0.momentum_buffer":
            [[2, 2], opt.state[model.weight]["momentum_buffer"].reshape(-1).tolist()],
        "callbacks.ModelCheckpoint{'monitor': 'val_loss'}.best_model_score": [[], [0.25]],
    }
    with open(os.path.join(OUT, "checkpoint_objects.json"), "w") as f:
        json.dump({"metadata": metadata, "tensors": tensors}, f, indent=1)


def foreign_tensors():
    """Tensors nnscope cannot hold beside one it can: complex, sparse and quantized tensors stay
    placeholders naming what they are, and the plain tensor still reads."""
    sd = OrderedDict([
        ("plain", torch.tensor([1.0, 2.0])),
        ("complex", torch.tensor([1 + 2j, 3 - 1j], dtype=torch.complex64)),
        ("sparse", torch.tensor([[0.0, 2.0], [3.0, 0.0]]).to_sparse()),
        ("quantized", torch.quantize_per_tensor(torch.tensor([0.5, 1.0]), 0.1, 0, torch.qint8)),
    ])
    path = os.path.join(OUT, "foreign_tensors.pt")
    torch.save(sd, path)
    torch.load(path)
    # The legacy layout cannot skip a storage whose element size nnscope does not know: refused,
    # naming the storage class.
    path = os.path.join(OUT, "foreign_tensors_legacy.pt")
    torch.save({"plain": sd["plain"], "complex": sd["complex"]}, path,
               _use_new_zipfile_serialization=False)


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    save_model("sequential", sequential())
    save_model("small_cnn", small_cnn())
    save_model("custom", custom())
    save_model("resnet18_narrow", narrow_resnet18(), legacy=False)
    checkpoint_objects()
    foreign_tensors()
    sizes = {f: os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT)}
    assert max(sizes.values()) < 100_000, sizes
    print(f"wrote {len(sizes)} files, {sum(sizes.values())} bytes, largest "
          f"{max(sizes.values())}, to {OUT}")


if __name__ == "__main__":
    main()
