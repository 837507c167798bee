"""Golden files for tests/data: torch.utils.data 1.13 samplers, DataLoader index order and
default_collate, from real PyTorch.

Run: /usr/bin/python3 tests/golden/gen_data.py (writes tests/golden/data/).

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
from torch.utils.data import (BatchSampler, DataLoader, DistributedSampler, RandomSampler,
                              SubsetRandomSampler, WeightedRandomSampler, default_collate,
                              get_worker_info)

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


def main():
    os.makedirs(OUT, exist_ok=True)
    tensors, cases = sampler_cases()
    save_file(tensors, os.path.join(OUT, "samplers.safetensors"), {"cases": json.dumps(cases)})
    tensors, cases = loader_cases()
    save_file(tensors, os.path.join(OUT, "loader.safetensors"), {"cases": json.dumps(cases)})
    save_file(collate_cases(), os.path.join(OUT, "collate.safetensors"))


if __name__ == "__main__":
    main()
