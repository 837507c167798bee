#!/usr/bin/python3
"""Runs `nnscope-cli train` and bench/torch_train.py alternately on Fashion-MNIST and prints the
median training throughput (samples/s, data loading included, evaluation not) of each, their
ratio and the test accuracies (see train.sh, which installs PyTorch and builds nnscope-cli).

Recipes (issue #3): batch 64, SGD momentum 0.9, lr 0.1 for mlp and 0.05 for cnn, seed 0; both
programs seed the same way (manual_seed, build the model, shuffle from the default generator), so
they see the same initial weights and the same batches.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LR = {"mlp": 0.1, "cnn": 0.05}
TARGET = 1.2  # nnscope at least 1.2x PyTorch; 2x with --transform and --num-workers 2 (issue #3)


def run_json(command, env=None):
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--models", default="mlp,cnn")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--num-workers", type=int, default=0)
    parser.add_argument("--limit", type=int, default=0, help="first N samples of each split")
    parser.add_argument("--transform", default="",
                        help="torchvision pipeline applied to each training image on both sides")
    args = parser.parse_args()

    cli = os.environ.get("NNSCOPE_CLI", os.path.join(HERE, "..", "build", "release", "src",
                                                      "nnscope-cli"))
    torch_env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads),
                     OMP_NUM_THREADS=str(args.threads))
    models = args.models.split(",")
    runs = {m: {"nnscope": [], "pytorch": []} for m in models}
    for r in range(args.rounds):
        for model in models:
            common = ["--model", model, "--epochs", str(args.epochs), "--batch-size",
                      str(args.batch_size), "--lr", str(LR.get(model, 0.1)), "--momentum", "0.9",
                      "--seed", str(args.seed), "--threads", str(args.threads), "--num-workers",
                      str(args.num_workers)]
            if args.limit:
                common += ["--limit", str(args.limit)]
            if args.transform:
                common += ["--transform", args.transform]
            ours = run_json([cli, "train", "--dataset", "fashion-mnist", *common, "--json"])
            theirs = run_json([sys.executable, os.path.join(HERE, "torch_train.py"), *common],
                              torch_env)
            runs[model]["nnscope"].append(ours)
            runs[model]["pytorch"].append(theirs)
            print(f"round {r + 1}/{args.rounds} {model}: nnscope "
                  f"{ours['samples_per_second']:.0f} samples/s (accuracy "
                  f"{ours['test_accuracy']:.4f}), pytorch {theirs['samples_per_second']:.0f} "
                  f"samples/s (accuracy {theirs['test_accuracy']:.4f})", file=sys.stderr)

    print(f"training throughput on Fashion-MNIST, batch {args.batch_size}, {args.threads} "
          f"thread(s), {args.num_workers} worker(s), {args.epochs} epoch(s)"
          + (f" of {args.limit} samples" if args.limit else "")
          + (f", transform {args.transform}" if args.transform else "")
          + f", median of {args.rounds} rounds")
    print(f"{'model':<6} {'nnscope/s':>10} {'pytorch/s':>10} {'ratio':>7} {'target':>8} "
          f"{'acc nnscope':>12} {'acc pytorch':>12}")
    for model in models:
        ours = statistics.median(x["samples_per_second"] for x in runs[model]["nnscope"])
        theirs = statistics.median(x["samples_per_second"] for x in runs[model]["pytorch"])
        ratio = ours / theirs
        target = 2.0 if args.transform and args.num_workers >= 2 else TARGET
        mark = f"{target:.1f}x " + ("ok" if ratio >= target else "MISS")
        acc_ours = runs[model]["nnscope"][-1]["test_accuracy"]
        acc_theirs = runs[model]["pytorch"][-1]["test_accuracy"]
        print(f"{model:<6} {ours:>10.0f} {theirs:>10.0f} {ratio:>6.2f}x {mark:>8} "
              f"{acc_ours:>12.4f} {acc_theirs:>12.4f}")


if __name__ == "__main__":
    main()
