#!/usr/bin/python3
"""PyTorch's side of `nnscope-cli bench step`: the same training step, timed the same way.

One step = zero_grad + forward + CrossEntropyLoss + backward + SGD(lr 0.01, momentum 0.9) step,
on one fixed batch. Prints one JSON line:
  {"framework": "pytorch", "model": "mlp", "batch_size": 64, "threads": 1, "steps": 200,
   "median_ms": ..., "min_ms": ..., "mean_ms": ..., "cpu_mean_ms": ...}

Run with /usr/bin/python3 (Debian's python3-torch, PyTorch 1.13). OPENBLAS_NUM_THREADS must be
set before torch loads, so this script re-executes itself with it when it is missing.
"""

import argparse
import json
import os
import statistics
import sys
import time


def _ensure_openblas_threads(threads):
    if os.environ.get("OPENBLAS_NUM_THREADS") != str(threads):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
        os.execve(sys.executable, [sys.executable] + sys.argv, env)


def build_default(name, torch):
    nn = torch.nn
    if name == "mlp":
        return nn.Sequential(
            nn.Flatten(),
            nn.Linear(784, 512),
            nn.ReLU(),
            nn.Linear(512, 256),
            nn.ReLU(),
            nn.Linear(256, 10),
        )
    if name == "cnn":
        return nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(1568, 10),
        )
    raise SystemExit(f"torch_step.py: unknown model '{name}' (mlp or cnn)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="mlp", choices=["mlp", "cnn"])
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    _ensure_openblas_threads(args.threads)

    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = build_default(args.model, torch)
    # Same fixed batch recipe as nnscope-cli: standard-normal images and uniform class indices.
    x = torch.randn(args.batch_size, 1, 28, 28)
    y = torch.randint(0, 10, (args.batch_size,))
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    for _ in range(args.warmup):
        step()
    times = []
    cpu_start = time.process_time()
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1e3)
    cpu_ms = (time.process_time() - cpu_start) * 1e3
    print(
        json.dumps(
            {
                "framework": "pytorch",
                "model": args.model,
                "batch_size": args.batch_size,
                "threads": args.threads,
                "steps": args.steps,
                "median_ms": statistics.median(times),
                "min_ms": min(times),
                "mean_ms": statistics.fmean(times),
                # CPU time of the process per step, every thread's (OpenBLAS's and PyTorch's
                # intra-op threads with --threads > 1): what the step costs when other
                # processes share the cores.
                "cpu_mean_ms": cpu_ms / args.steps,
            }
        )
    )


if __name__ == "__main__":
    main()
