"""Loading-speed benchmark of the DataLoader lab: the same DataLoader configuration's throughput
in nnscope (`nnscope-lab-speed`, the workflows::measure_throughput the lab's Speed tab runs) and
in PyTorch 1.13's DataLoader over torchvision's FashionMNIST, side by side.

Configurations: Fashion-MNIST's training split, batch_size 64, shuffle=True, with
  normalize    Compose([ToTensor(), Normalize((0.2860,), (0.3530,))])
  crop+rotate  Compose([RandomCrop(28, padding=4), RandomRotation(15), ToTensor(),
               Normalize((0.2860,), (0.3530,))])
and num_workers 0, 1, 2. Both sides run the same pipeline text (PyTorch evaluates it with
torchvision.transforms' names) and time the same thing: iter(loader), then next() for --batches
batches, each wait noted; samples/s counts from iter() to the last batch (the first batch, with
the workers' start-up, included and also reported apart). The tools alternate round by round so
that machine noise hits both alike; the table shows medians of the rounds and the ratios.

Run through bench/lab_speed.sh, or:
  NNSCOPE_LAB_SPEED=build/dev/bench/nnscope-lab-speed /usr/bin/python3 bench/lab_speed.py
"""

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys

NORMALIZE = "Normalize((0.2860,), (0.3530,))"
PIPELINES = {
    "normalize": f"Compose([ToTensor(), {NORMALIZE}])",
    "crop+rotate": f"Compose([RandomCrop(28, padding=4), RandomRotation(15), ToTensor(), {NORMALIZE}])",
}
FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
         "t10k-labels-idx1-ubyte"]

TORCH_RUN = r"""
import json, statistics, sys, time
import torch
from torchvision import datasets
from torchvision.transforms import *
root, pipeline, workers, batches = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(1)
data = datasets.FashionMNIST(root, train=True, download=False, transform=eval(pipeline))
loader = torch.utils.data.DataLoader(data, batch_size=64, shuffle=True, num_workers=workers)
waits, samples = [], 0
start = time.perf_counter()
it = iter(loader)
last = start
while len(waits) < batches:
    before = time.perf_counter()
    try:
        x, y = next(it)
    except StopIteration:
        it = iter(loader)
        continue
    last = time.perf_counter()
    waits.append((last - before) * 1000)
    samples += len(y)
seconds = last - start
rest = sorted(waits[1:])
q = lambda p: rest[round(p * (len(rest) - 1))] if rest else 0
print(json.dumps({"samples": samples, "seconds": seconds, "samples_per_second": samples / seconds,
                  "first_batch_ms": waits[0], "median_ms": statistics.median(rest) if rest else 0,
                  "p90_ms": q(0.9)}))
"""


def prepare_torch_root(source, directory):
    """torchvision's FashionMNIST wants the four files unpacked under ROOT/FashionMNIST/raw."""
    raw = os.path.join(directory, "FashionMNIST", "raw")
    os.makedirs(raw, exist_ok=True)
    for name in FILES:
        target = os.path.join(raw, name)
        if os.path.exists(target):
            continue
        with gzip.open(os.path.join(source, name + ".gz"), "rb") as f, open(target, "wb") as out:
            shutil.copyfileobj(f, out)
    return directory


def run_nnscope(tool, pipeline, workers, batches):
    config = {"dataset": "fashion-mnist", "batch_size": 64, "shuffle": True,
              "num_workers": workers, "transform": pipeline}
    result = subprocess.run([tool, json.dumps(config), str(batches)], capture_output=True,
                            text=True, check=True)
    return json.loads(result.stdout)


def run_torch(root, pipeline, workers, batches):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    result = subprocess.run([sys.executable, "-c", TORCH_RUN, root, pipeline, str(workers),
                             str(batches)], capture_output=True, text=True, check=True, env=env)
    return json.loads(result.stdout.strip().splitlines()[-1])


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batches", type=int, default=200, help="batches of 64 per run")
    parser.add_argument("--workers", default="0,1,2")
    parser.add_argument("--pipelines", default=",".join(PIPELINES))
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--dir", default="/tmp/nnscope-lab-speed")
    parser.add_argument("--json", action="store_true", help="print the medians as JSON too")
    args = parser.parse_args()
    tool = os.environ.get("NNSCOPE_LAB_SPEED")
    if not tool or not os.path.exists(tool):
        sys.exit("lab_speed.py: set NNSCOPE_LAB_SPEED to the nnscope-lab-speed executable")
    root = prepare_torch_root(args.data, args.dir)
    workers = [int(w) for w in args.workers.split(",")]
    pipelines = args.pipelines.split(",")

    print(f"{cpu_name()}, {os.cpu_count()} cores, load average before: {load()}")
    runs = {}
    for r in range(args.rounds):
        for name in pipelines:
            for w in workers:
                for side in (("nnscope", "torch") if r % 2 == 0 else ("torch", "nnscope")):
                    if side == "nnscope":
                        out = run_nnscope(tool, PIPELINES[name], w, args.batches)
                    else:
                        out = run_torch(root, PIPELINES[name], w, args.batches)
                    runs.setdefault((name, w, side), []).append(out)
        print(f"round {r + 1}/{args.rounds} done, load average {load()}", file=sys.stderr)
    print(f"load average after: {load()}")

    med = lambda key, name, w, side: statistics.median(  # noqa: E731
        run[key] for run in runs[(name, w, side)])
    header = ("| pipeline | num_workers | nnscope samples/s | PyTorch samples/s | ratio | "
              "first batch ms (nnscope / PyTorch) | median wait ms (nnscope / PyTorch) |")
    print(header)
    print("|---|---|---|---|---|---|---|")
    table = []
    for name in pipelines:
        for w in workers:
            n = {k: med(k, name, w, "nnscope") for k in ("samples_per_second", "first_batch_ms", "median_ms")}
            t = {k: med(k, name, w, "torch") for k in ("samples_per_second", "first_batch_ms", "median_ms")}
            ratio = n["samples_per_second"] / t["samples_per_second"]
            print(f"| {name} | {w} | {n['samples_per_second']:.0f} | {t['samples_per_second']:.0f} | "
                  f"{ratio:.2f}x | {n['first_batch_ms']:.1f} / {t['first_batch_ms']:.1f} | "
                  f"{n['median_ms']:.2f} / {t['median_ms']:.2f} |")
            table.append({"pipeline": name, "num_workers": w, "nnscope": n, "torch": t,
                          "ratio": ratio})
    if args.json:
        print(json.dumps(table))


if __name__ == "__main__":
    main()
