"""Golden files for tests/workflows/tst_loader_analysis.cpp: what numpy draws in DataLoader
workers, from real numpy and PyTorch 1.13.

Run: /usr/bin/python3 tests/golden/gen_loader_analysis.py (writes tests/golden/loader_analysis/).

numpy.json: numpy.random.seed(s) then eight numpy.random.rand() for integer seeds and for
uint32-array seeds, and torch's _generate_state(base_seed, worker) for a few pairs.
workers.json: real DataLoaders with num_workers=2 over a dataset whose sample i is
[i, torch.initial_seed(), numpy.random.rand(), self.rng.rand()] computed inside the worker, where
self.rng = numpy.random.RandomState(0) was made in the parent (the parent also calls
numpy.random.seed(0)); with and without worker_init_fn seed-numpy, with and without persistent
workers, over 3 epochs. 64-bit seeds are strings (a JSON double cannot hold them).
"""

import json
import os

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset
from torch.utils.data._utils.worker import _generate_state

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "loader_analysis")


class Reporter(Dataset):
    def __init__(self, n):
        self.n = n
        self.rng = np.random.RandomState(0)

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return [i, str(torch.initial_seed()), float(np.random.rand()), float(self.rng.rand())]


def seed_numpy(worker_id):
    np.random.seed(torch.initial_seed() % 2**32)


def collate(samples):
    return samples


def numpy_cases():
    ints = []
    for s in [0, 1, 42, 2**32 - 1, 3735928559]:
        np.random.seed(s)
        ints.append(dict(seed=s, rand=[float(x) for x in np.random.rand(8)]))
    arrays = []
    states = []
    for base, worker in [(0, 0), (0, 1), (123456789, 3), (2**62 + 12345, 2), (2**63 - 1, 0)]:
        key = _generate_state(base, worker)
        states.append(dict(base_seed=str(base), worker=worker, state=key))
        np.random.seed(key)
        arrays.append(dict(key=key, rand=[float(x) for x in np.random.rand(8)]))
    return dict(int_seeds=ints, array_seeds=arrays, generate_state=states)


def worker_cases():
    cases = []
    for persistent in [False, True]:
        for init in [False, True]:
            for seed, n, batch_size in [(3, 10, 2), (2**40 + 7, 9, 4)]:
                np.random.seed(0)
                g = torch.Generator()
                g.manual_seed(seed)
                loader = DataLoader(Reporter(n), batch_size, shuffle=True, num_workers=2,
                                    generator=g, collate_fn=collate,
                                    worker_init_fn=seed_numpy if init else None,
                                    persistent_workers=persistent)
                epochs = [[sample for batch in loader for sample in batch] for _ in range(3)]
                cases.append(dict(seed=str(seed), n=n, batch_size=batch_size,
                                  persistent_workers=persistent,
                                  worker_init_fn="seed-numpy" if init else "none",
                                  epochs=epochs))
    return cases


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "numpy.json"), "w") as f:
        json.dump(numpy_cases(), f, indent=1)
        f.write("\n")
    with open(os.path.join(OUT, "workers.json"), "w") as f:
        json.dump(worker_cases(), f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
