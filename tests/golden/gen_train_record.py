"""Golden files for tst_train_record: what `nnscope-cli train --model mlp|cnn --dataset
fashion-mnist --record` records over the first 100 steps, made by PyTorch 1.13 with hooks.

The run is the one nnscope reproduces (bench/torch_train.py): torch.manual_seed(0), the model
built right after it, SGD(lr=0.1), DataLoader(TensorDataset(images / 255, labels), batch_size=64,
shuffle=True) drawing its shuffle from the default generator, CrossEntropyLoss. On every module
of named_modules() (the root "" included) a forward hook takes the statistics of its output and a
full backward hook those of grad_output[0]; each parameter's gradient norm is read before
optimizer.step() and its weight and update norms after it.

Statistics, over the whole tensor in float64: numel, mean, std (unbiased) of the finite elements,
min, max, zero_fraction, nan, pos_inf, neg_inf; "hist" is torch.histc(t, 64, min, max) of the
finite elements in the tensor's own float32, written every 10th step only, to stay small.
Floats are written with 7 significant digits, well inside the tests' tolerance.

Writes tests/golden/train/record_mlp.jsonl and record_cnn.jsonl (one line per step, the same keys
as nnscope's record). Run: /usr/bin/python3 tests/golden/gen_train_record.py
"""

import gzip
import json
import os
import struct

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "train")
FASHION = "/usr/share/datasets/fashion-mnist"
STEPS = 100
HIST_EVERY = 10


def read_idx(base):
    with gzip.open(os.path.join(FASHION, base + ".gz"), "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    ndim = magic & 0xFF
    dims = [count] + list(struct.unpack(">" + "I" * (ndim - 1), data[8:4 * ndim + 4]))
    return data[4 * ndim + 4:], dims


def load_train():
    images, dims = read_idx("train-images-idx3-ubyte")
    labels, _ = read_idx("train-labels-idx1-ubyte")
    x = torch.frombuffer(bytearray(images), dtype=torch.uint8).reshape(dims[0], 1, dims[1], dims[2])
    y = torch.frombuffer(bytearray(labels), dtype=torch.uint8).to(torch.int64)
    return x.to(torch.float32) / 255, y


def build(name):
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256),
                             nn.ReLU(), nn.Linear(256, 10))
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(1568, 10))


def num(x):
    return float(f"{x:.7g}")


def stats(t, with_hist):
    t = t.detach()
    d = t.double().reshape(-1)
    finite = d[torch.isfinite(d)]
    n = finite.numel()
    s = {
        "numel": d.numel(),
        "mean": num(finite.mean().item()) if n else None,
        "std": num(finite.std().item()) if n > 1 else None,
        "min": num(finite.min().item()) if n else None,
        "max": num(finite.max().item()) if n else None,
        "zero_fraction": num((d == 0).sum().item() / max(d.numel(), 1)),
        "nan": int(torch.isnan(d).sum().item()),
        "pos_inf": int((d == float("inf")).sum().item()),
        "neg_inf": int((d == float("-inf")).sum().item()),
    }
    if with_hist:
        f = t.reshape(-1)
        f = f[torch.isfinite(f)]
        lo, hi = (f.min().item(), f.max().item()) if n else (0.0, 0.0)
        counts = torch.histc(f, 64, lo, hi) if n else torch.zeros(64)
        s["hist"] = {"lo": num(lo if lo != hi else lo - 1), "hi": num(hi if lo != hi else hi + 1),
                     "counts": [int(c) for c in counts.tolist()]}
    return s


def record(name, x, y):
    torch.manual_seed(0)
    model = build(name)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = nn.CrossEntropyLoss()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=64,
                                         shuffle=True)
    modules = list(model.named_modules())
    current = {}
    step_no = [0]

    def forward_hook(path):
        def hook(m, inp, out):
            current[path]["activation"] = stats(out, step_no[0] % HIST_EVERY == 0)
        return hook

    def backward_hook(path):
        def hook(m, grad_input, grad_output):
            if grad_output[0] is not None:
                current[path]["gradient"] = stats(grad_output[0], step_no[0] % HIST_EVERY == 0)
        return hook

    for path, m in modules:
        m.register_forward_hook(forward_hook(path))
        m.register_full_backward_hook(backward_hook(path))

    lines = []
    model.train()
    for step, (xb, yb) in enumerate(loader):
        if step == STEPS:
            break
        step_no[0] = step
        current.clear()
        for path, m in modules:
            current[path] = {"module": path, "type": type(m).__name__}
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        params = []
        before = {}
        for pname, p in model.named_parameters():
            params.append({"name": pname, "grad_norm": num(p.grad.double().norm().item())})
            before[pname] = p.detach().clone()
        opt.step()
        for entry, (pname, p) in zip(params, model.named_parameters()):
            entry["weight_norm"] = num(p.detach().double().norm().item())
            entry["update_norm"] = num((p.detach().double() - before[pname].double()).norm().item())
        lines.append({"step": step, "loss": num(loss.item()),
                      "modules": [current[path] for path, _ in modules], "params": params})
    path = os.path.join(OUT, f"record_{name}.jsonl")
    with open(path, "w") as f:
        for line in lines:
            f.write(json.dumps(line, separators=(",", ":")) + "\n")
    print(f"{path}: {os.path.getsize(path)} bytes")


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    x, y = load_train()
    for name in ("mlp", "cnn"):
        record(name, x, y)


if __name__ == "__main__":
    main()
