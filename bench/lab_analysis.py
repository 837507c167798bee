"""The DataLoader lab's analysis next to PyTorch 1.13: nnscope-lab-bench (workflows::analyse_loader
over a 60,000-sample Fashion-MNIST configuration, 3 epochs) against PyTorch drawing the same
DataLoader's batches over 3 epochs without loading a sample (list(loader.batch_sampler) per epoch,
set_epoch first for the DistributedSampler, and the base seed each iter() draws), per
configuration: medians of --rounds rounds and the ratio. nnscope does more in that time (labels,
per-class and per-sample counts, duplicates, every rank, the workers' numpy streams); PyTorch
only draws.

    /usr/bin/python3 bench/lab_analysis.py [--rounds 9] [--labels PATH]

NNSCOPE_LAB_BENCH names the nnscope-lab-bench executable (bench/lab_analysis.sh builds it).
"""

import argparse
import gzip
import json
import os
import statistics
import subprocess
import time

import torch
from torch.utils.data import (DataLoader, DistributedSampler, RandomSampler, SubsetRandomSampler,
                              WeightedRandomSampler)

LABELS = "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz"


class Indices(torch.utils.data.Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return i


def read_labels(path):
    with gzip.open(path) as f:
        data = f.read()
    return list(data[8:])


def make_loader(name, labels, g):
    n = len(labels)
    data = Indices(n)
    if name == "sequential":
        return DataLoader(data, 64, generator=g)
    if name == "shuffle":
        return DataLoader(data, 64, shuffle=True, generator=g)
    if name == "random-replacement":
        return DataLoader(data, 64, sampler=RandomSampler(data, True, generator=g), generator=g)
    if name == "weighted":
        counts = [labels.count(c) for c in range(10)]
        weights = [1.0 / counts[label] for label in labels]
        return DataLoader(data, 64, sampler=WeightedRandomSampler(weights, n, True, generator=g),
                          generator=g)
    if name == "subset-random":
        return DataLoader(data, 64, sampler=SubsetRandomSampler(range(30000), g), generator=g)
    if name == "distributed-4":
        return DataLoader(data, 64, sampler=DistributedSampler(data, 4, 0, True, 0), generator=g)
    if name == "shuffle-2-persistent-workers":
        # The workers never start: only the batch sampler is iterated.
        return DataLoader(data, 64, shuffle=True, generator=g)
    raise ValueError(name)


def torch_round(name, labels, epochs):
    start = time.perf_counter()
    g = torch.Generator()
    g.manual_seed(0)
    loader = make_loader(name, labels, g)
    for epoch in range(epochs):
        if isinstance(loader.sampler, DistributedSampler):
            loader.sampler.set_epoch(epoch)
        torch.empty((), dtype=torch.int64).random_(generator=g)  # iter()'s base seed
        batches = list(loader.batch_sampler)
    assert batches
    return (time.perf_counter() - start) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--labels", default=LABELS)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    exe = os.environ.get("NNSCOPE_LAB_BENCH", "build/release/bench/nnscope-lab-bench")
    labels = read_labels(args.labels)
    rows = []
    names = ["sequential", "shuffle", "random-replacement", "weighted", "subset-random",
             "distributed-4", "shuffle-2-persistent-workers"]
    for name in names:
        out = subprocess.run([exe, "--rounds", str(args.rounds), "--epochs", str(args.epochs),
                              "--only", name], check=True, capture_output=True, text=True).stdout
        ours = json.loads(out.strip().splitlines()[-1])
        theirs = statistics.median(torch_round(name, labels, args.epochs)
                                   for _ in range(args.rounds))
        rows.append((name, ours["open_ms"], ours["median_ms"], theirs))
    print(f"{'configuration':30} {'open ms':>8} {'nnscope ms':>11} {'pytorch ms':>11} {'ratio':>7}")
    for name, open_ms, ours, theirs in rows:
        print(f"{name:30} {open_ms:8.1f} {ours:11.2f} {theirs:11.2f} {theirs / ours:6.1f}x")


if __name__ == "__main__":
    main()
