"""Golden files for tests/data: torch.utils.data 1.13 samplers, DataLoader index order and
default_collate, from real PyTorch.

Run: /usr/bin/python3 tests/golden/gen_data.py (writes tests/golden/data/).

loader_config.json holds what DataLoaderConfig's dataset part and rules must match:
"random_split" cases (the parts and warnings of random_split(range(n), lengths,
generator=torch.Generator().manual_seed(seed)), or its error), "parts" cases (the batches of a
DataLoader over a Subset or one part of a random_split, labels included) and "rules" (the exception
message PyTorch gives for each refused configuration, by name).

samplers.safetensors and loader.safetensors carry "cases" in their metadata, a JSON list. A
case's indices over all its epochs are stored as "<name>/indices" (int64, concatenated),
"<name>/lengths" (per epoch for samplers, per batch for loaders) and "<name>/after": three
randint(0, 2^31) draws from the generator the case used (its own or the default one) after the
last epoch, proving that we consumed exactly as many numbers as PyTorch.
"""

import json
import os
import sys

import torch
import warnings

from torch.utils.data import (BatchSampler, DataLoader, DistributedSampler, RandomSampler, Subset,
                              SubsetRandomSampler, WeightedRandomSampler, default_collate,
                              get_worker_info, random_split)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenlib import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
EPOCHS = 2
WEIGHTS = [0.1, 0.9, 0.4, 0.7, 3.0, 0.6]
SUBSET = [3, 17, 5, 9, 11, 0, 2, 40, 8]


def after(gen):
    return torch.randint(0, 2**31, (3,), generator=gen)


def run_case(tensors, cases, case, make, epochs, per_epoch_hook=None, batched=False):
    """make(gen) -> iterable; gen is a seeded Generator, or None with the default one seeded."""
    seed = case["seed"]
    if case["generator"]:
        gen = torch.Generator()
        gen.manual_seed(seed)
    else:
        torch.manual_seed(seed)
        gen = None
    obj = make(gen)
    flat, lengths = [], []
    for epoch in range(epochs):
        if per_epoch_hook:
            per_epoch_hook(obj, epoch)
        items = list(obj)
        if batched:
            for b in items:
                b = b.tolist() if isinstance(b, torch.Tensor) else b
                flat += b
                lengths.append(len(b))
        else:
            flat += [int(i) for i in items]
            lengths.append(len(items))
    name = case["name"]
    tensors[name + "/indices"] = torch.tensor(flat, dtype=torch.int64)
    tensors[name + "/lengths"] = torch.tensor(lengths, dtype=torch.int64)
    tensors[name + "/after"] = after(gen)
    case["seed"] = str(seed)  # 64-bit seeds do not survive a JSON double
    cases.append(case)


def sampler_cases():
    tensors, cases = {}, []
    k = 0
    for seed in [0, 42, 2**40 + 3]:
        for use_gen in [True, False]:
            for n in [1, 5, 10, 33, 100]:
                for replacement in [False, True]:
                    for num_samples in [None, 7, 70]:
                        case = dict(name=f"random{k}", kind="random", seed=seed, generator=use_gen,
                                    n=n, replacement=replacement, num_samples=num_samples)
                        k += 1
                        run_case(tensors, cases, case,
                                 lambda g: RandomSampler(range(n), replacement, num_samples, g),
                                 EPOCHS)
            for indices in [SUBSET, list(range(10, 40))]:
                case = dict(name=f"subset{k}", kind="subset", seed=seed, generator=use_gen,
                            indices=indices)
                k += 1
                run_case(tensors, cases, case, lambda g: SubsetRandomSampler(indices, g), EPOCHS)
            for num_samples, replacement in [(5, True), (40, True), (1, True), (5, False),
                                             (6, False)]:
                case = dict(name=f"weighted{k}", kind="weighted", seed=seed, generator=use_gen,
                            weights=WEIGHTS, num_samples=num_samples, replacement=replacement)
                k += 1
                run_case(tensors, cases, case,
                         lambda g: WeightedRandomSampler(WEIGHTS, num_samples, replacement, g),
                         EPOCHS)
    for n in [3, 10, 11]:
        for replicas in [1, 3, 4, 5]:
            for rank in range(replicas):
                for shuffle in [True, False]:
                    for drop_last in [False, True]:
                        for seed in [0, 7]:
                            case = dict(name=f"distributed{k}", kind="distributed", seed=seed,
                                        generator=False, n=n, num_replicas=replicas, rank=rank,
                                        shuffle=shuffle, drop_last=drop_last)
                            k += 1
                            run_case(tensors, cases, case,
                                     lambda g: DistributedSampler(range(n), replicas, rank,
                                                                  shuffle, seed, drop_last),
                                     EPOCHS, lambda s, e: s.set_epoch(e))
    for n, bs in [(10, 3), (9, 3), (1, 4), (0, 2)]:
        for drop_last in [False, True]:
            case = dict(name=f"batch{k}", kind="batch", seed=0, generator=False, n=n,
                        batch_size=bs, drop_last=drop_last)
            k += 1
            run_case(tensors, cases, case, lambda g: BatchSampler(range(n), bs, drop_last), 1,
                     batched=True)
    return tensors, cases


class SeedReporter(torch.utils.data.Dataset):
    """Sample i is [i, the worker's seed, one randint(0, 1000) from the worker's generator]."""

    def __len__(self):
        return 12

    def __getitem__(self, i):
        info = get_worker_info()
        return torch.tensor([i, info.seed, int(torch.randint(0, 1000, ()))])


def loader_cases():
    tensors, cases = {}, []
    k = 0
    for seed in [0, 5, 2**33 + 1]:
        for use_gen in [True, False]:
            for n in [10, 25]:
                for batch_size in [1, 4, None]:
                    for shuffle in [False, True]:
                        for drop_last in [False, True] if batch_size else [False]:
                            case = dict(name=f"loader{k}", sampler="default", seed=seed,
                                        generator=use_gen, n=n, batch_size=batch_size,
                                        shuffle=shuffle, drop_last=drop_last)
                            k += 1
                            run_case(tensors, cases, case,
                                     lambda g: DataLoader(list(range(n)), batch_size, shuffle,
                                                          drop_last=drop_last, generator=g), 3,
                                     batched=batch_size is not None)
            n = 25
            for sampler in ["random-replacement", "subset", "weighted", "distributed"]:
                case = dict(name=f"loader{k}", sampler=sampler, seed=seed, generator=use_gen,
                            n=n, batch_size=4, shuffle=False, drop_last=False)
                k += 1

                def make(g, sampler=sampler):
                    if sampler == "random-replacement":
                        s = RandomSampler(range(n), True, 30, g)
                    elif sampler == "subset":
                        s = SubsetRandomSampler(list(range(5, 17)), g)
                    elif sampler == "weighted":
                        s = WeightedRandomSampler([float(i % 3 + 1) for i in range(n)], 20, True, g)
                    else:
                        s = DistributedSampler(range(n), 3, 1, True, 11)
                    return DataLoader(list(range(n)), 4, sampler=s, generator=g)

                run_case(tensors, cases, case, make, 3,
                         (lambda dl, e: dl.sampler.set_epoch(e)) if sampler == "distributed"
                         else None, batched=True)
    # Worker seeding: batch b goes to worker b % W; each worker seeds base_seed + id.
    for workers, seed in [(2, 3), (3, 99)]:
        g = torch.Generator()
        g.manual_seed(seed)
        name = f"workers{k}"
        k += 1
        batches = list(DataLoader(SeedReporter(), 2, shuffle=True, num_workers=workers,
                                  generator=g))
        tensors[name + "/batches"] = torch.stack(batches)
        cases.append(dict(name=name, workers=workers, seed=str(seed), batch_size=2, n=12))
    return tensors, cases


def collate_cases():
    t = {}
    g = torch.Generator().manual_seed(1)
    a = [torch.randn(2, 3, generator=g) for _ in range(3)]
    t["tensors/in"] = torch.stack(a)  # the samples, stacked by us
    t["tensors/out"] = default_collate(a)
    ints = default_collate([3, -1, 7])
    floats = default_collate([0.5, 1.25, -2.0])
    t["ints/out"] = ints
    t["floats/out"] = floats
    tup = default_collate([(a[i], i, float(i) / 4) for i in range(3)])
    t["tuple/0"], t["tuple/1"], t["tuple/2"] = tup
    d = default_collate([{"x": a[i], "y": (i, [i * 2, i * 3])} for i in range(3)])
    t["dict/x"] = d["x"]
    t["dict/y/0"] = d["y"][0]
    t["dict/y/1/0"], t["dict/y/1/1"] = d["y"][1]
    u8 = [torch.tensor([i, 255 - i], dtype=torch.uint8) for i in range(4)]
    t["uint8/out"] = default_collate(u8)
    return t


def split_cases():
    cases = []
    for n, lengths, seed in [(10, [3, 7], 42), (10, [0.3, 0.3, 0.4], 42), (10, [1], 0),
                             (10, [0, 1], 5), (10, [0.1] * 10, 1), (7, [0.5, 0.5], 3),
                             (25, [0.8, 0.2], 42), (25, [0.33, 0.33, 0.34], 2**40 + 3),
                             (23, [0.25, 0.25, 0.25, 0.25], 9), (3, [0.2, 0.2, 0.6], 1),
                             (10, [0.5, 0.6], 0), (10, [1.5, -0.5], 0), (10, [4, 5], 0),
                             (10, [4, 7], 0), (0, [0], 0)]:
        case = dict(n=n, lengths=lengths, seed=str(seed))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                parts = random_split(range(n), lengths,
                                     generator=torch.Generator().manual_seed(seed))
                case["parts"] = [list(p.indices) for p in parts]
            except ValueError as e:
                case["error"] = str(e)
        case["warnings"] = [str(w.message) for w in caught]
        cases.append(case)
    return cases


class Labelled(torch.utils.data.Dataset):
    """range(n) labelled i % 3 (nnscope's range:N:mod=3): sample i is (i, i % 3)."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if not 0 <= i < self.n:
            raise IndexError(i)
        return i, i % 3


def part_cases():
    cases = []
    n = 30
    parts = [dict(subset="indices", indices=[29, 3, 3, 17, 0, 8, 11]),
             dict(subset="range", range=[5, 23]),
             dict(subset="random_split", lengths=[0.7, 0.3], split_seed=42, part=0),
             dict(subset="random_split", lengths=[0.7, 0.3], split_seed=42, part=1),
             dict(subset="random_split", lengths=[10, 5, 15], split_seed=7, part=2)]
    for part in parts:
        for shuffle in [False, True]:
            case = dict(part, n=n, shuffle=shuffle, batch_size=4, seed="5")
            if part["subset"] == "indices":
                data = Subset(Labelled(n), part["indices"])
            elif part["subset"] == "range":
                data = Subset(Labelled(n), range(*part["range"]))
            else:
                g = torch.Generator().manual_seed(part["split_seed"])
                data = random_split(Labelled(n), part["lengths"], generator=g)[part["part"]]
            loader = DataLoader(data, 4, shuffle, generator=torch.Generator().manual_seed(5))
            # The loader's indices are positions in the part; its samples are (index, label).
            case["batches"] = [[b[0].tolist(), b[1].tolist()] for e in range(2) for b in loader]
            cases.append(case)
    return cases


def refused(make):
    try:
        make()
    except (ValueError, RuntimeError, AssertionError) as e:
        return str(e)
    raise AssertionError("PyTorch accepted it")


def rule_cases():
    r = range(25)
    rules = {
        "num_workers": lambda: DataLoader(r, num_workers=-1),
        "timeout": lambda: DataLoader(r, timeout=-1),
        "prefetch_factor": lambda: DataLoader(r, prefetch_factor=4),
        "persistent_workers": lambda: DataLoader(r, persistent_workers=True),
        "sampler and shuffle": lambda: DataLoader(r, shuffle=True, sampler=RandomSampler(r)),
        "batch_sampler and batch_size":
            lambda: DataLoader(r, 4, batch_sampler=BatchSampler(range(25), 3, False)),
        "batch_sampler and shuffle":
            lambda: DataLoader(r, shuffle=True, batch_sampler=BatchSampler(range(25), 3, False)),
        "batch_sampler and drop_last":
            lambda: DataLoader(r, drop_last=True, batch_sampler=BatchSampler(range(25), 3, False)),
        "batch_size None and drop_last": lambda: DataLoader(r, None, drop_last=True),
        "batch_size 0": lambda: DataLoader(r, 0),
        "batch_sampler batch_size": lambda: BatchSampler(range(25), -2, False),
        "random num_samples": lambda: RandomSampler(r, False, 0),
        "weighted num_samples": lambda: WeightedRandomSampler([1.0] * 25, -3),
        "rank": lambda: DistributedSampler(r, 4, 5),
        "negative rank": lambda: DistributedSampler(r, 4, -1),
        "negative weights": lambda: list(WeightedRandomSampler([1.0, -1.0, 2.0], 3)),
        "zero weights": lambda: list(WeightedRandomSampler([0.0, 0.0, 0.0], 3)),
        "nan weights": lambda: list(WeightedRandomSampler([1.0, float("nan"), 2.0], 3)),
        "split fraction": lambda: random_split(r, [1.5, -0.5]),
        "split sum": lambda: random_split(r, [10, 10]),
    }
    return {name: refused(make) for name, make in rules.items()}


def main():
    os.makedirs(OUT, exist_ok=True)
    tensors, cases = sampler_cases()
    save_file(tensors, os.path.join(OUT, "samplers.safetensors"), {"cases": json.dumps(cases)})
    tensors, cases = loader_cases()
    save_file(tensors, os.path.join(OUT, "loader.safetensors"), {"cases": json.dumps(cases)})
    save_file(collate_cases(), os.path.join(OUT, "collate.safetensors"))
    with open(os.path.join(OUT, "loader_config.json"), "w") as f:
        json.dump(dict(random_split=split_cases(), parts=part_cases(), rules=rule_cases()), f,
                  indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
