#!/usr/bin/python3
"""PyTorch's side of `nnscope-cli train` on Fashion-MNIST / MNIST: the same recipe, timed the same
way, as a plain PyTorch user would write it.

  torch.manual_seed(seed); model = mlp | cnn (bench/torch_step.py's build_default)
  DataLoader(TensorDataset(images / 255, labels), batch_size, shuffle=True)
  (its sampler draws from the default generator that manual_seed seeded, after the init)
  per batch: zero_grad, CrossEntropyLoss, backward, SGD(lr, momentum) or Adam(lr) step
  then accuracy on the test split (eval mode, no_grad, batches of max(batch_size, 1000)).

Images are ToTensor()'s floats in [0, 1] (no normalisation), read straight from the IDX files.
samples_per_second counts the training loop only (data loading included, evaluation not), as
nnscope-cli train does. Prints one JSON line. Runs on `--threads` threads: OPENBLAS_NUM_THREADS
must be set before torch loads, so the script re-executes itself with it when it is missing.
"""

import argparse
import gzip
import json
import os
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FASHION = "/usr/share/datasets/fashion-mnist"


def _ensure_openblas_threads(threads):
    if os.environ.get("OPENBLAS_NUM_THREADS") != str(threads):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
        os.execve(sys.executable, [sys.executable] + sys.argv, env)


def read_idx(folder, base):
    for name in (base, base + ".gz"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rb") as f:
                data = f.read()
            magic, count = struct.unpack(">II", data[:8])
            dims = [count] + list(struct.unpack(">" + "I" * ((magic & 0xFF) - 1),
                                                data[8:4 * (magic & 0xFF) + 4]))
            return data[4 * (magic & 0xFF) + 4:], dims
    raise SystemExit(f"torch_train.py: no {base}[.gz] in {folder}")


def load_split(torch, folder, prefix, limit):
    images, dims = read_idx(folder, f"{prefix}-images-idx3-ubyte")
    labels, _ = read_idx(folder, f"{prefix}-labels-idx1-ubyte")
    x = torch.frombuffer(bytearray(images), dtype=torch.uint8).reshape(dims[0], 1, dims[1], dims[2])
    y = torch.frombuffer(bytearray(labels), dtype=torch.uint8).to(torch.int64)
    if limit:
        x, y = x[:limit], y[:limit]
    return x.to(torch.float32) / 255, y  # ToTensor()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="mlp", choices=["mlp", "cnn"])
    parser.add_argument("--data", default=FASHION, help="folder of the four IDX files")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--optimizer", default="sgd", choices=["sgd", "adam"])
    parser.add_argument("--lr", type=float, default=None)
    parser.add_argument("--momentum", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--num-workers", type=int, default=0)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--transform", default="",
                        help="a torchvision pipeline applied to each training image, e.g. "
                             "'Compose([RandomCrop(28, padding=4), RandomRotation(15)])'")
    args = parser.parse_args()
    _ensure_openblas_threads(args.threads)

    import torch
    from torch.utils.data import DataLoader, TensorDataset

    sys.path.insert(0, HERE)
    from torch_step import build_default

    torch.set_num_threads(args.threads)
    train_x, train_y = load_split(torch, args.data, "train", args.limit)
    test_x, test_y = load_split(torch, args.data, "t10k", args.limit)

    torch.manual_seed(args.seed)
    model = build_default(args.model, torch)
    lr = args.lr if args.lr is not None else (0.1 if args.optimizer == "sgd" else 1e-3)
    if args.optimizer == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=args.momentum)
    else:
        opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    train_set = TensorDataset(train_x, train_y)
    if args.transform:
        import torchvision.transforms as T
        from torchvision.transforms import InterpolationMode  # noqa: F401 (for the pipeline)

        transform = eval(args.transform, dict(vars(T)))  # our own benchmark's argument

        base = train_set

        class Transformed(torch.utils.data.Dataset):
            def __len__(self):
                return len(base)

            def __getitem__(self, i):
                x, y = base[i]
                return transform(x), y

        train_set = Transformed()
    loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True,
                        num_workers=args.num_workers)

    model.train()
    seconds, trained, epoch_loss = 0.0, 0, 0.0
    for _ in range(args.epochs):
        start = time.perf_counter()
        total, batches = 0.0, 0
        for x, y in loader:
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            total += loss.item()
            batches += 1
            trained += y.numel()
        seconds += time.perf_counter() - start
        epoch_loss = total / max(batches, 1)

    model.eval()
    correct, test_loss = 0, 0.0
    with torch.no_grad():
        eval_batch = max(args.batch_size, 1000)
        for i in range(0, len(test_y), eval_batch):
            logits = model(test_x[i:i + eval_batch])
            y = test_y[i:i + eval_batch]
            test_loss += loss_fn(logits, y).item() * y.numel()
            correct += (logits.argmax(1) == y).sum().item()
    print(json.dumps({
        "framework": "pytorch",
        "model": args.model,
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "optimizer": args.optimizer,
        "lr": lr,
        "momentum": args.momentum,
        "seed": args.seed,
        "threads": args.threads,
        "num_workers": args.num_workers,
        "train_samples": len(train_y),
        "test_samples": len(test_y),
        "train_loss": epoch_loss,
        "test_loss": test_loss / len(test_y),
        "test_accuracy": correct / len(test_y),
        "samples_per_second": trained / seconds if seconds > 0 else 0.0,
        "train_seconds": seconds,
    }))


if __name__ == "__main__":
    main()
