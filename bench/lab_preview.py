"""The DataLoader lab's transform preview (issue #12: 16 samples x 4 seeds with RandomCrop +
RandomRotation + RandomHorizontalFlip under 200 ms), nnscope next to torchvision 0.14 doing the
same 64 previews: Fashion-MNIST training pictures 0-15 as uint8 tensors, torch.manual_seed(s) then
the pipeline, for s in 0..3 (torchvision's tensor path, one picture at a time as the preview does).

nnscope is timed inside its process (nnscope-lab-preview-bench: make_transform_grid with every
stage kept, the data set already open); torchvision in this process after a warm-up round.
Rounds alternate; medians and the ratio are printed.

Run through bench/lab_preview.sh, or:
  NNSCOPE_LAB_PREVIEW_BENCH=build/release/bench/nnscope-lab-preview-bench \
      /usr/bin/python3 bench/lab_preview.py [--rounds 9] [--data DIR]
"""

import argparse
import gzip
import json
import os
import statistics
import subprocess
import time

import numpy as np
import torch
import torchvision
from torchvision import transforms as T

PIPELINE = "Compose([RandomCrop(28, padding=4), RandomRotation(15), RandomHorizontalFlip()])"


def read_images(folder):
    with gzip.open(os.path.join(folder, "train-images-idx3-ubyte.gz"), "rb") as f:
        raw = f.read()
    n, rows, cols = (int.from_bytes(raw[k:k + 4], "big") for k in (4, 8, 12))
    return torch.from_numpy(np.frombuffer(raw, np.uint8, offset=16).reshape(n, rows, cols).copy())


def torchvision_round(images, pipeline):
    start = time.perf_counter()
    for i in range(16):
        for seed in range(4):
            torch.manual_seed(seed)
            pipeline(images[i][None])
    return (time.perf_counter() - start) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    args = parser.parse_args()
    exe = os.environ["NNSCOPE_LAB_PREVIEW_BENCH"]
    torch.set_num_threads(1)
    images = read_images(args.data)
    pipeline = eval(PIPELINE, {name: getattr(T, name) for name in dir(T)})
    torchvision_round(images, pipeline)  # warm-up
    ours, theirs = [], []
    for _ in range(args.rounds):
        # the executable times 3 grids and reports the median, so start-up costs are not counted
        result = subprocess.run([exe, "--data", args.data, "--rounds", "3", "--transform",
                                 PIPELINE], check=True, capture_output=True, text=True)
        line = json.loads(result.stdout)
        assert line["cells"] == 64, line
        ours.append(line["median_ms"])
        theirs.append(torchvision_round(images, pipeline))
    a, b = statistics.median(ours), statistics.median(theirs)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), "unknown CPU")
    print(f"CPU: {cpu}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
          f"torch {torch.__version__}, torchvision {torchvision.__version__}, 1 thread")
    print(f"64 previews ({PIPELINE})")
    print(f"  nnscope      median {a:8.2f} ms  (rounds: {', '.join(f'{x:.1f}' for x in ours)})")
    print(f"  torchvision  median {b:8.2f} ms  (rounds: {', '.join(f'{x:.1f}' for x in theirs)})")
    print(f"  ratio nnscope / torchvision: {a / b:.2f}; target < 200 ms: "
          f"{'met' if a < 200 else 'NOT met'}")


if __name__ == "__main__":
    main()
