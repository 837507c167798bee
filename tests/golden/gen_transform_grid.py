"""Golden file for tests/workflows/tst_transform_grid: the DataLoader lab's transform preview grid
(rows: samples, columns: seeds), each cell torch.manual_seed(seed) and the pipeline applied by
torchvision 0.14 one transform at a time, keeping every stage's output.

Run: /usr/bin/python3 tests/golden/gen_transform_grid.py (writes tests/golden/transforms/grid.safetensors).

The pictures are gen_transforms.py's three garments (the CLI's golden data set); metadata "grid"
is {pipeline, indices, seeds, stages: [repr per stage], cells: [{index, seed, drawn}]} in row
order; "cell<k>/stage<s>" is cell k's image after stage s. RandomRotation runs on [1, H, W] and
is squeezed, as gen_transforms.make_cli explains.

For the batch inspector, batches.safetensors: a DataLoader over those pictures as MNIST gives them
(float32 [1, 28, 28] = byte / 255, then the pipeline), batch_size=2, shuffle=True,
generator=torch.Generator().manual_seed(7), two epochs, after torch.manual_seed(67280421310721)
(a fresh interpreter's default seed). Metadata "loaders" lists {name, num_workers, pipeline};
"<name>/e<epoch>b<batch>/images", ".../indices" are each batch as the loader yields it.
"""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_transforms import garment, record_draws, transforms_env  # noqa: E402
from goldenlib import save_file  # noqa: E402
from torch.utils.data import DataLoader, Dataset  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "transforms")
PIPELINE = "Compose([RandomCrop(28, padding=4), RandomRotation(30), RandomHorizontalFlip(0.5)])"
INDICES = [2, 0, 1]
SEEDS = [0, 3, 1234567, 2**40 + 17]


def main():
    log = record_draws()
    images = torch.cat([garment(k) for k in range(3)])  # as cli.safetensors "cli/images"
    pipeline = eval(PIPELINE, transforms_env())
    stages = pipeline.transforms
    tensors, cells = {}, []
    for index in INDICES:
        for seed in SEEDS:
            torch.manual_seed(seed)
            log.clear()
            img = images[index][None]
            k = len(cells)
            for s, t in enumerate(stages):
                img = t(img)
                tensors[f"cell{k}/stage{s}"] = img[0].contiguous()
            cells.append({"index": index, "seed": seed, "drawn": [list(d) for d in log]})
    meta = {"pipeline": PIPELINE, "indices": INDICES, "seeds": SEEDS,
            "stages": [repr(t) for t in stages], "cells": cells}
    os.makedirs(OUT, exist_ok=True)
    save_file(tensors, os.path.join(OUT, "grid.safetensors"), {"grid": json.dumps(meta)})
    print(f"{len(cells)} cells")
    save_loaders(images, transforms_env())


class Pictures(Dataset):
    def __init__(self, images, transform):
        self.images, self.transform = images, transform

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return self.transform(self.images[i][None].float() / 255), i


def save_loaders(images, env):
    tensors, runs = {}, []
    for name, workers in [("w2", 2), ("w0", 0)]:
        torch.manual_seed(67280421310721)
        loader = DataLoader(Pictures(images, eval(PIPELINE, env)), batch_size=2, shuffle=True,
                            num_workers=workers, generator=torch.Generator().manual_seed(7))
        for epoch in range(2):
            for b, (x, i) in enumerate(loader):
                tensors[f"{name}/e{epoch}b{b}/images"] = x.contiguous()
                tensors[f"{name}/e{epoch}b{b}/indices"] = i
        runs.append({"name": name, "num_workers": workers, "pipeline": PIPELINE})
    save_file(tensors, os.path.join(OUT, "batches.safetensors"), {"loaders": json.dumps(runs)})


if __name__ == "__main__":
    main()
