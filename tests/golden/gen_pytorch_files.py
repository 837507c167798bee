"""Golden files for tst_pytorch_files: real torch.save / torch.jit.save outputs and, beside each,
<name>_expected.safetensors holding what a reader must find in it.

Run: /usr/bin/python3 tests/golden/gen_pytorch_files.py (writes tests/golden/pytorch_files/).

Each expected file holds every tensor under the name the document must list it under (in the
order a state_dict gives them), and metadata entries:
  "role:<name>"      parameter | buffer | unknown, from named_parameters()/named_buffers()
  "inferred:<name>"  "1" when the file itself does not say (state_dicts), "0" otherwise
  "module:<path>"    TorchScript module type: its class name (original_name)
  "meta:<path>"      a plain value's Python repr (checkpoint epochs, losses, hyperparameters)
  "format"           pytorch-zip | pytorch-legacy | torchscript
  "ordered"          "1" when the tensor order must match exactly
"""

import io
import os
import re
import sys
import zipfile
from collections import OrderedDict

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenlib import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pytorch_files")


class Small(nn.Module):
    """Conv + BatchNorm + Linear: parameters and all three BatchNorm buffers."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3)
        self.bn = nn.BatchNorm2d(3)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(12, 4))

    def forward(self, x):
        return self.head(torch.relu(self.bn(self.conv(x))))


def trained_small():
    torch.manual_seed(0)
    model = Small()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(2):  # moves the running stats and fills the optimizer state
        loss = model(torch.randn(5, 2, 4, 4)).square().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model, opt


def roles_of(model, prefix=""):
    roles = {prefix + n: "parameter" for n, _ in model.named_parameters()}
    roles.update({prefix + n: "buffer" for n, _ in model.named_buffers()})
    return roles


def write_expected(name, tensors, roles, inferred, fmt, ordered=True, meta=None, modules=None):
    md = {"format": fmt, "ordered": "1" if ordered else "0"}
    for key in tensors:
        md["role:" + key] = roles.get(key, "unknown")
        md["inferred:" + key] = "1" if inferred.get(key, False) else "0"
    for key, value in (meta or {}).items():
        md["meta:" + key] = value
    for path, type_name in (modules or {}).items():
        md["module:" + path] = type_name
    clean = OrderedDict((k, v.detach().clone().contiguous()) for k, v in tensors.items())
    save_file(clean, os.path.join(OUT, name + "_expected.safetensors"), md)


def check_roundtrip(path, reference):
    """The file must load in PyTorch itself with the same values."""
    loaded = torch.load(path)
    for key, value in reference.items():
        assert torch.equal(loaded[key], value), (path, key)


def state_dict_files():
    model, _ = trained_small()
    sd = model.state_dict()
    roles = roles_of(model)
    inferred = {k: True for k in sd}
    for fmt, name, new_zip in [("pytorch-zip", "state_dict", True),
                               ("pytorch-legacy", "state_dict_legacy", False)]:
        path = os.path.join(OUT, name + ".pt")
        torch.save(sd, path, _use_new_zipfile_serialization=new_zip)
        check_roundtrip(path, sd)
        write_expected(name, sd, roles, inferred, fmt)

    dp = nn.DataParallel(model)  # on the CPU it only wraps: keys gain "module."
    dsd = dp.state_dict()
    assert all(k.startswith("module.") for k in dsd)
    path = os.path.join(OUT, "dataparallel.pt")
    torch.save(dsd, path)
    write_expected("dataparallel", dsd, roles_of(dp), {k: True for k in dsd}, "pytorch-zip",
                   meta={})


def checkpoint_file():
    model, opt = trained_small()
    ckpt = {
        "model": model.state_dict(),
        "optimizer": opt.state_dict(),
        "epoch": 7,
        "loss": 0.125,
        "best_acc": 0.8125,
        "name": "run1",
        "finished": False,
        "note": None,
    }
    path = os.path.join(OUT, "checkpoint.pt")
    torch.save(ckpt, path)
    tensors = OrderedDict(("model." + k, v) for k, v in ckpt["model"].items())
    roles = roles_of(model, "model.")
    inferred = {k: True for k in tensors}
    for index, state in ckpt["optimizer"]["state"].items():
        for key, value in state.items():
            tensors[f"optimizer.state.{index}.{key}"] = value
    group = ckpt["optimizer"]["param_groups"][0]
    meta = {
        "epoch": repr(7), "loss": repr(0.125), "best_acc": repr(0.8125), "name": repr("run1"),
        "finished": repr(False), "note": repr(None),
        "optimizer.param_groups.0.lr": repr(group["lr"]),
        "optimizer.param_groups.0.betas": repr(group["betas"]),
        "optimizer.param_groups.0.params": repr(group["params"]),
        "optimizer.param_groups.0.amsgrad": repr(group["amsgrad"]),
    }
    write_expected("checkpoint", tensors, roles, inferred, "pytorch-zip", meta=meta)


def dtype_tensors():
    g = torch.Generator().manual_seed(1)
    base = torch.randn(2, 3, generator=g, dtype=torch.float64)
    return OrderedDict([
        ("f32", base.float()),
        ("f64", base),
        ("f16", base.half()),
        ("bf16", base.bfloat16()),
        ("i8", torch.tensor([-128, 127, 0, -1], dtype=torch.int8)),
        ("i16", torch.tensor([-32768, 32767, 300], dtype=torch.int16)),
        ("i32", torch.tensor([-(2**31), 2**31 - 1, 5], dtype=torch.int32)),
        ("i64", torch.tensor([-(2**63), 2**63 - 1, 2**53 + 1])),
        ("u8", torch.tensor([0, 255, 128], dtype=torch.uint8)),
        ("bool", torch.tensor([True, False, True])),
        ("scalar", torch.tensor(2.5)),
        ("empty", torch.zeros(0, 3)),
    ])


def dtype_files():
    sd = dtype_tensors()
    roles = {k: ("parameter" if v.is_floating_point() else "buffer") for k, v in sd.items()}
    for fmt, name, new_zip in [("pytorch-zip", "dtypes", True),
                               ("pytorch-legacy", "dtypes_legacy", False)]:
        path = os.path.join(OUT, name + ".pt")
        torch.save(sd, path, _use_new_zipfile_serialization=new_zip)
        check_roundtrip(path, sd)
        write_expected(name, sd, roles, {k: True for k in sd}, fmt)


def view_tensors():
    base = torch.arange(24, dtype=torch.float32)
    grid = base.view(4, 6)
    return OrderedDict([
        ("base", base),
        ("transposed", grid.t()),
        ("slice", base[5:11]),
        ("every_other", grid[:, ::2]),
        ("block", grid[1:3, 2:5]),
        ("alias", base),
        ("other", torch.arange(6, dtype=torch.int64).view(2, 3).t()),
    ])


def view_files():
    views = view_tensors()
    roles = {k: ("parameter" if v.is_floating_point() else "buffer") for k, v in views.items()}
    for fmt, name, new_zip in [("pytorch-zip", "views", True),
                               ("pytorch-legacy", "views_legacy", False)]:
        path = os.path.join(OUT, name + ".pt")
        torch.save(views, path, _use_new_zipfile_serialization=new_zip)
        loaded = torch.load(path)
        # PyTorch itself keeps the views sharing one storage with their strides and offsets.
        assert loaded["block"].storage_offset() == 8 and loaded["block"].stride() == (6, 1)
        assert loaded["block"].data_ptr() != loaded["base"].data_ptr()
        check_roundtrip(path, views)
        write_expected(name, views, roles, {k: True for k in views}, fmt)


def bare_tensor_file():
    t = torch.arange(12, dtype=torch.float32).view(3, 4) / 4
    path = os.path.join(OUT, "bare_tensor.pt")
    torch.save(t, path)
    assert torch.equal(torch.load(path), t)
    write_expected("bare_tensor", {"tensor": t}, {"tensor": "parameter"}, {"tensor": True},
                   "pytorch-zip")


def rezipped_file():
    """Another writer's layout: root folder "archive", a byteorder record, entries not aligned
    (plain zipfile does not pad) and one storage DEFLATED."""
    source = io.BytesIO()
    sd = dtype_tensors()
    torch.save(sd, source)
    source.seek(0)
    path = os.path.join(OUT, "rezipped.pt")
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w") as zout:
        names = zin.namelist()
        root = names[0].split("/")[0]
        zout.writestr("archive/byteorder", b"little", zipfile.ZIP_STORED)
        for n in names:
            data = zin.read(n)
            method = zipfile.ZIP_DEFLATED if n.endswith("/data/0") else zipfile.ZIP_STORED
            zout.writestr("archive/" + n[len(root) + 1:], data, method)
    check_roundtrip(path, sd)
    roles = {k: ("parameter" if v.is_floating_point() else "buffer") for k, v in sd.items()}
    write_expected("rezipped", sd, roles, {k: True for k in sd}, "pytorch-zip")


def big_endian_file():
    """A byteorder record saying "big" with every storage byte-swapped per element, as a
    big-endian machine writes it. The expected values are the original tensors."""
    sd = OrderedDict([
        ("f32", torch.tensor([1.5, -2.25, 3.0e-3])),
        ("i64", torch.tensor([1, -2, 2**40 + 3])),
        ("f16", torch.tensor([0.5, -1.0], dtype=torch.float16)),
        ("u8", torch.tensor([1, 2, 255], dtype=torch.uint8)),
    ])
    source = io.BytesIO()
    torch.save(sd, source)  # storages get keys "0", "1", ... in the order first met
    source.seek(0)
    widths = {str(i): t.element_size() for i, t in enumerate(sd.values())}
    path = os.path.join(OUT, "big_endian.pt")
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w") as zout:
        names = zin.namelist()
        root = names[0].split("/")[0]
        for n in names:
            data = zin.read(n)
            key = n[len(root) + 1:]
            if key.startswith("data/"):
                w = widths[key[len("data/"):]]
                data = b"".join(data[i:i + w][::-1] for i in range(0, len(data), w))
            zout.writestr("big/" + key, data, zipfile.ZIP_STORED)
        zout.writestr("big/byteorder", b"big", zipfile.ZIP_STORED)
    roles = {k: ("parameter" if v.is_floating_point() else "buffer") for k, v in sd.items()}
    write_expected("big_endian", sd, roles, {k: True for k in sd}, "pytorch-zip")


class Block(nn.Module):
    """A custom module: a parameter of its own, a persistent and a non-persistent buffer."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.tensor([1.5, -2.0]))
        self.register_buffer("offset", torch.tensor([0.25, 0.5]))
        self.register_buffer("cache", torch.ones(2), persistent=False)
        self.count = 3

    def forward(self, x):
        return x * self.scale + self.offset + self.cache


class Scripted(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Linear(2, 2)
        self.blocks = nn.ModuleList([Block(), Block()])
        self.heads = nn.ModuleDict({"a": nn.Linear(2, 3), "b": nn.BatchNorm1d(2)})

    def forward(self, x):
        x = self.stem(x)
        for block in self.blocks:
            x = block(x)
        return self.heads["a"](x) + self.heads["b"](x).sum()


def torchscript_files():
    torch.manual_seed(0)
    module = Scripted()
    module.blocks[1].scale.data.mul_(3)
    module.heads["b"].running_mean.fill_(0.75)
    scripted = torch.jit.script(module)
    path = os.path.join(OUT, "torchscript.pt")
    scripted.save(path)
    tensors = OrderedDict()
    roles = {}
    for name, value in scripted.named_parameters():
        tensors[name] = value
        roles[name] = "parameter"
    for name, value in scripted.named_buffers():
        tensors[name] = value
        roles[name] = "buffer"
    assert "blocks.0.cache" in tensors  # TorchScript keeps non-persistent buffers
    modules = {name: m.original_name for name, m in scripted.named_modules()}
    meta = {"blocks.0.count": "3"}
    write_expected("torchscript", tensors, roles, {}, "torchscript", ordered=False,
                   meta=meta, modules=modules)

    class WithConstant(nn.Module):
        def forward(self, x):
            return x + torch.tensor([1.0, 2.0])

    traced = torch.jit.trace(WithConstant(), torch.zeros(2))
    path = os.path.join(OUT, "traced_constant.pt")
    traced.save(path)
    with zipfile.ZipFile(path) as z:
        assert any(n.endswith("constants/0") for n in z.namelist())
    write_expected("traced_constant", {"constants.0": torch.tensor([1.0, 2.0])},
                   {"constants.0": "unknown"}, {}, "torchscript", ordered=False,
                   modules={"": traced.original_name})


class RunsCommand:
    """Unpickling this runs a shell command: what a hostile checkpoint does."""

    def __init__(self, function, argument):
        self.function = function
        self.argument = argument

    def __reduce__(self):
        return (self.function, (self.argument,))


def malicious_files():
    """Files that would create MARKER in the working directory if their pickle were executed.
    A reader must refuse them, naming the global. (Only written here, never loaded.)"""
    marker = "touch nnscope_pwned_marker"
    weight = torch.ones(2)
    torch.save({"weight": weight, "payload": RunsCommand(os.system, marker)},
               os.path.join(OUT, "malicious_os_system.pt"))
    torch.save({"weight": weight, "payload": RunsCommand(eval, "__import__('os').system('"
                                                          + marker + "')")},
               os.path.join(OUT, "malicious_eval_legacy.pt"), _use_new_zipfile_serialization=False)
    import subprocess
    torch.save([RunsCommand(subprocess.Popen, marker.split())],
               os.path.join(OUT, "malicious_popen.pt"))


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    state_dict_files()
    checkpoint_file()
    dtype_files()
    view_files()
    bare_tensor_file()
    rezipped_file()
    big_endian_file()
    torchscript_files()
    malicious_files()
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total} bytes, to {OUT}")


if __name__ == "__main__":
    main()
