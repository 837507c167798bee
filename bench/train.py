#!/usr/bin/python3
"""Runs `nnscope-cli train` and bench/torch_train.py alternately on Fashion-MNIST and prints the
median training throughput (samples/s, data loading included, evaluation not) of each, their
ratio and the test accuracies (see train.sh, which installs PyTorch and builds nnscope-cli).

Recipes (issue #3): batch 64, SGD momentum 0.9, lr 0.1 for mlp and 0.05 for cnn, seed 0; both
programs seed the same way (manual_seed, build the model, shuffle from the default generator), so
they see the same initial weights and the same batches.

Both sides run on --threads N (PyTorch: torch.set_num_threads(N) and OPENBLAS_NUM_THREADS=N;
nnscope: --threads N) with --workers W DataLoader workers (PyTorch: processes; nnscope: threads,
each on one engine thread). The fair allocator mode (--no-mmap-malloc: glibc's mmap threshold
raised for both programs) runs first and its table is printed first. --grid tries every
combination of --grid-threads and --grid-workers on both sides and reports each side's best
setting and the ratio of the bests.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LR = {"mlp": 0.1, "cnn": 0.05}
TARGET = 1.2  # nnscope at least 1.2x PyTorch; 2x with --transform and --workers 2 (issue #3)
GRID_TARGET = 1.5  # best setting against best setting (issue #14)
FAIR_MALLOC = {"MALLOC_MMAP_THRESHOLD_": "4000000000", "MALLOC_TRIM_THRESHOLD_": "4000000000",
               "MALLOC_TOP_PAD_": "100000000"}


def run_json(command, env):
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(args, cli, models, threads, workers, env):
    """Alternating rounds of both programs with one setting: every run's JSON, per model."""
    torch_env = dict(env, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    runs = {m: {"nnscope": [], "pytorch": []} for m in models}
    for r in range(args.rounds):
        for model in models:
            common = ["--model", model, "--epochs", str(args.epochs), "--batch-size",
                      str(args.batch_size), "--lr", str(LR.get(model, 0.1)), "--momentum", "0.9",
                      "--seed", str(args.seed), "--threads", str(threads), "--num-workers",
                      str(workers)]
            if args.limit:
                common += ["--limit", str(args.limit)]
            if args.transform:
                common += ["--transform", args.transform]
            ours = run_json([cli, "train", "--dataset", "fashion-mnist", *common, "--json"], env)
            theirs = run_json([sys.executable, os.path.join(HERE, "torch_train.py"), *common],
                              torch_env)
            runs[model]["nnscope"].append(ours)
            runs[model]["pytorch"].append(theirs)
            print(f"round {r + 1}/{args.rounds} {model}, {threads} thread(s), {workers} "
                  f"worker(s): nnscope {ours['samples_per_second']:.0f} samples/s (accuracy "
                  f"{ours['test_accuracy']:.4f}, {ours.get('threads', '?')} engine thread(s)), "
                  f"pytorch {theirs['samples_per_second']:.0f} samples/s (accuracy "
                  f"{theirs['test_accuracy']:.4f})", file=sys.stderr)
    return runs


def rate(runs, side):
    return statistics.median(x["samples_per_second"] for x in runs[side])


def describe(args, threads, workers, mode):
    return (f"training throughput on Fashion-MNIST, batch {args.batch_size}, {threads} "
            f"thread(s), {workers} worker(s), {args.epochs} epoch(s)"
            + (f" of {args.limit} samples" if args.limit else "")
            + (f", transform {args.transform}" if args.transform else "")
            + f", median of {args.rounds} rounds, {mode}")


def print_table(args, models, threads, workers, mode, runs):
    print(describe(args, threads, workers, mode))
    print(f"{'model':<6} {'nnscope/s':>10} {'pytorch/s':>10} {'ratio':>7} {'target':>8} "
          f"{'acc nnscope':>12} {'acc pytorch':>12}")
    for model in models:
        ours = rate(runs[model], "nnscope")
        theirs = rate(runs[model], "pytorch")
        ratio = ours / theirs
        target = 2.0 if args.transform and workers >= 2 else TARGET
        mark = f"{target:.1f}x " + ("ok" if ratio >= target else "MISS")
        acc_ours = runs[model]["nnscope"][-1]["test_accuracy"]
        acc_theirs = runs[model]["pytorch"][-1]["test_accuracy"]
        print(f"{model:<6} {ours:>10.0f} {theirs:>10.0f} {ratio:>6.2f}x {mark:>8} "
              f"{acc_ours:>12.4f} {acc_theirs:>12.4f}")
    print()


def print_grid(args, models, grid, mode):
    """Every setting's medians, then each side's best and the ratio of the bests."""
    print(f"grid: threads x workers, {args.epochs} epoch(s)"
          + (f" of {args.limit} samples" if args.limit else "")
          + (f", transform {args.transform}" if args.transform else "")
          + f", median of {args.rounds} rounds, {mode} (samples/s)")
    print(f"{'model':<6} {'threads':>7} {'workers':>7} {'nnscope/s':>10} {'pytorch/s':>10} "
          f"{'ratio':>7}")
    for model in models:
        for (threads, workers), runs in grid.items():
            ours, theirs = rate(runs[model], "nnscope"), rate(runs[model], "pytorch")
            print(f"{model:<6} {threads:>7} {workers:>7} {ours:>10.0f} {theirs:>10.0f} "
                  f"{ours / theirs:>6.2f}x")
    print(f"{'model':<6} {'nnscope best (threads, workers)':>32} {'pytorch best':>26} "
          f"{'ratio':>7} {'target':>8}")
    for model in models:
        best = {}
        for side in ("nnscope", "pytorch"):
            setting = max(grid, key=lambda s: rate(grid[s][model], side))
            best[side] = (rate(grid[setting][model], side), setting)
        ratio = best["nnscope"][0] / best["pytorch"][0]
        mark = f"{GRID_TARGET:.1f}x " + ("ok" if ratio >= GRID_TARGET else "MISS")
        ours, theirs = best["nnscope"], best["pytorch"]
        print(f"{model:<6} {ours[0]:>14.0f} ({ours[1][0]}, {ours[1][1]}){'':>11} "
              f"{theirs[0]:>10.0f} ({theirs[1][0]}, {theirs[1][1]}){'':>5} {ratio:>6.2f}x "
              f"{mark:>8}")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--models", default="mlp,cnn")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workers", "--num-workers", dest="workers", type=int, default=0,
                        help="DataLoader workers on both sides")
    parser.add_argument("--limit", type=int, default=0, help="first N samples of each split")
    parser.add_argument("--transform", default="",
                        help="torchvision pipeline applied to each training image on both sides")
    parser.add_argument("--grid", action="store_true",
                        help="every --grid-threads x --grid-workers setting on both sides; each "
                             "side's best and the ratio of the bests")
    parser.add_argument("--grid-threads", default="1,2")
    parser.add_argument("--grid-workers", default="0,1,2")
    parser.add_argument(
        "--malloc", choices=["both", "fair", "default"], default=None,
        help="fair: glibc's mmap threshold raised for both programs (as bench/step.py "
             "--no-mmap-malloc); both: fair first, then glibc's defaults. Default: both, or fair "
             "with --grid")
    args = parser.parse_args()
    if args.malloc is None:
        args.malloc = "fair" if args.grid else "both"

    cli = os.environ.get("NNSCOPE_CLI", os.path.join(HERE, "..", "build", "release", "src",
                                                      "nnscope-cli"))
    models = args.models.split(",")
    modes = {"both": ["fair", "default"], "fair": ["fair"], "default": ["default"]}[args.malloc]
    base = {k: v for k, v in os.environ.items() if k not in FAIR_MALLOC}
    for mode in modes:
        env = dict(base, **FAIR_MALLOC) if mode == "fair" else base
        label = "--no-mmap-malloc" if mode == "fair" else "glibc's default allocator settings"
        if not args.grid:
            runs = measure(args, cli, models, args.threads, args.workers, env)
            print_table(args, models, args.threads, args.workers, label, runs)
            continue
        grid = {}
        for threads in (int(t) for t in args.grid_threads.split(",")):
            for workers in (int(w) for w in args.grid_workers.split(",")):
                grid[threads, workers] = measure(args, cli, models, threads, workers, env)
        print_grid(args, models, grid, label)


if __name__ == "__main__":
    main()
