#!/usr/bin/python3
"""Runs `nnscope-cli bench step` and bench/torch_step.py alternately on mlp and cnn and prints a
table of medians and ratios (see step.sh, which installs PyTorch and builds nnscope-cli first).
Each run reports the median of its timed steps; the table shows the median over the rounds.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TARGETS = {"mlp": 1.2, "cnn": 1.5}


def run_json(command, env=None):
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--models", default="mlp,cnn")
    parser.add_argument("--breakdown", action="store_true", help="nnscope's per-phase medians")
    parser.add_argument(
        "--no-mmap-malloc", action="store_true",
        help="raise glibc's mmap threshold for both programs, so that large tensors are not "
             "fresh page-faulting mmaps each step (PyTorch's CPU allocator has no cache; on "
             "virtual machines where page faults are slow this can cost it 3-5x on cnn)")
    args = parser.parse_args()
    if args.no_mmap_malloc:
        os.environ.update(MALLOC_MMAP_THRESHOLD_="4000000000", MALLOC_TRIM_THRESHOLD_="4000000000",
                          MALLOC_TOP_PAD_="100000000")

    cli = os.environ.get("NNSCOPE_CLI", os.path.join(HERE, "..", "build", "release", "src",
                                                      "nnscope-cli"))
    torch_env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads),
                     OMP_NUM_THREADS=str(args.threads))
    common = ["--batch-size", str(args.batch_size), "--threads", str(args.threads),
              "--steps", str(args.steps)]
    models = args.models.split(",")
    ours = {m: [] for m in models}
    theirs = {m: [] for m in models}
    ours_cpu = {m: [] for m in models}
    theirs_cpu = {m: [] for m in models}
    phases = {m: [] for m in models}
    for r in range(args.rounds):
        for model in models:
            nn_cmd = [cli, "bench", "step", "--model", model, *common]
            if args.breakdown:
                nn_cmd.append("--breakdown")
            result = run_json(nn_cmd)
            ours[model].append(result["median_ms"])
            ours_cpu[model].append(result.get("cpu_mean_ms", float("nan")))  # older binaries lack it
            if "phases_median_ms" in result:
                phases[model].append(result["phases_median_ms"])
            torch_cmd = [sys.executable, os.path.join(HERE, "torch_step.py"), "--model", model,
                         *common]
            theirs_result = run_json(torch_cmd, torch_env)
            theirs[model].append(theirs_result["median_ms"])
            theirs_cpu[model].append(theirs_result["cpu_mean_ms"])
            print(f"round {r + 1}/{args.rounds} {model}: nnscope {ours[model][-1]:.3f} ms "
                  f"(cpu {ours_cpu[model][-1]:.3f}), pytorch {theirs[model][-1]:.3f} ms "
                  f"(cpu {theirs_cpu[model][-1]:.3f})", file=sys.stderr)

    print(f"training step, batch {args.batch_size}, {args.threads} thread(s), "
          f"{args.steps} steps x {args.rounds} rounds (median of run medians)"
          + (", glibc mmap threshold raised" if args.no_mmap_malloc else ""))
    # Wall time is what a user waits; thread CPU time is what the step costs when other
    # processes share the cores (both programs compute on one thread).
    for clock, mine, other in (("wall", ours, theirs), ("thread cpu, mean", ours_cpu, theirs_cpu)):
        print(f"{'model':<6} {'nnscope ms':>11} {'pytorch ms':>11} {'speedup':>8} {'target':>7}"
              f"  ({clock})")
        for model in models:
            a = statistics.median(mine[model])
            b = statistics.median(other[model])
            target = TARGETS.get(model)
            mark = "" if target is None else (
                f"{target:.1f}x " + ("ok" if b / a >= target else "MISS"))
            print(f"{model:<6} {a:>11.3f} {b:>11.3f} {b / a:>7.2f}x {mark:>7}")
    if args.breakdown:
        for model in models:
            if not phases[model]:
                continue
            keys = phases[model][0].keys()
            parts = ", ".join(
                f"{k} {statistics.median(p[k] for p in phases[model]):.3f}" for k in keys)
            print(f"nnscope {model} phases (ms): {parts}")


if __name__ == "__main__":
    main()
