#!/usr/bin/python3
"""Runs `nnscope-cli bench step` and bench/torch_step.py alternately on mlp and cnn and prints a
table of medians and ratios (see step.sh, which installs PyTorch and builds nnscope-cli first).
Each run reports the median of its timed steps; the table shows the median over the rounds.

Both sides run on --threads N (a list, "1,2", runs each count and adds the scaling): PyTorch with
torch.set_num_threads(N) and OPENBLAS_NUM_THREADS=N, nnscope with --threads N. The fair allocator
mode (--no-mmap-malloc, glibc's mmap threshold raised for both programs) runs first and its table
is printed first; then the default mode, unless --malloc fair.

GFLOP/s: the step's GEMM work counted from the model (forward 2*m*n*k per Linear or Conv2d:
Linear m = batch, n = out_features, k = in_features; Conv2d m = batch * H_out * W_out,
n = out_channels, k = in_channels / groups * kH * kW; backward twice the forward, less the first
layer's input gradient, which nothing needs), divided by the median step time.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TARGETS = {"mlp": 1.2, "cnn": 1.5}
FAIR_MALLOC = {"MALLOC_MMAP_THRESHOLD_": "4000000000", "MALLOC_TRIM_THRESHOLD_": "4000000000",
               "MALLOC_TOP_PAD_": "100000000"}


def run_json(command, env):
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def step_flops(model_name, batch):
    """FLOPs of one training step's GEMMs (see the module docstring), from the PyTorch model."""
    import torch

    sys.path.insert(0, HERE)
    from torch_step import build_default

    model = build_default(model_name, torch)
    layers = []

    def hook(module, inputs, output):
        if isinstance(module, torch.nn.Linear):
            m, n, k = inputs[0].numel() // module.in_features, module.out_features, \
                module.in_features
        else:  # Conv2d
            m = output.shape[0] * output.shape[2] * output.shape[3]
            n = module.out_channels
            k = module.in_channels // module.groups * module.kernel_size[0] * \
                module.kernel_size[1]
        layers.append(2 * m * n * k)

    for module in model.modules():
        if isinstance(module, (torch.nn.Linear, torch.nn.Conv2d)):
            module.register_forward_hook(hook)
    with torch.no_grad():
        model(torch.zeros(batch, 1, 28, 28))
    forward = sum(layers)
    return forward + 2 * forward - layers[0]


def measure(args, cli, models, threads, env):
    """Alternating rounds of both programs on `threads` threads; medians per model."""
    torch_env = dict(env, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    common = ["--batch-size", str(args.batch_size), "--threads", str(threads),
              "--steps", str(args.steps)]
    runs = {m: {"ours": [], "theirs": [], "ours_cpu": [], "theirs_cpu": [], "phases": [],
                "used": None} for m in models}
    for r in range(args.rounds):
        for model in models:
            nn_cmd = [cli, "bench", "step", "--model", model, *common]
            if args.breakdown:
                nn_cmd.append("--breakdown")
            result = run_json(nn_cmd, env)
            runs[model]["ours"].append(result["median_ms"])
            runs[model]["ours_cpu"].append(result.get("cpu_mean_ms", float("nan")))
            runs[model]["used"] = result.get("threads")
            if "phases_median_ms" in result:
                runs[model]["phases"].append(result["phases_median_ms"])
            torch_cmd = [sys.executable, os.path.join(HERE, "torch_step.py"), "--model", model,
                         *common]
            theirs = run_json(torch_cmd, torch_env)
            runs[model]["theirs"].append(theirs["median_ms"])
            runs[model]["theirs_cpu"].append(theirs["cpu_mean_ms"])
            print(f"round {r + 1}/{args.rounds} {model} {threads} thread(s): nnscope "
                  f"{runs[model]['ours'][-1]:.3f} ms (cpu {runs[model]['ours_cpu'][-1]:.3f}), "
                  f"pytorch {runs[model]['theirs'][-1]:.3f} ms "
                  f"(cpu {runs[model]['theirs_cpu'][-1]:.3f})", file=sys.stderr)
    return {m: {k: (statistics.median(v) if isinstance(v, list) and v and k != "phases" else v)
                for k, v in runs[m].items()} for m in models}


def print_table(args, models, threads, mode, medians, flops):
    print(f"training step, batch {args.batch_size}, {threads} thread(s), {args.steps} steps x "
          f"{args.rounds} rounds (median of run medians), {mode}")
    # Wall time is what a user waits; process CPU time (every thread of each program) is what
    # the step costs when other processes share the cores.
    for clock, mine, other in (("wall", "ours", "theirs"),
                               ("process cpu, mean", "ours_cpu", "theirs_cpu")):
        print(f"{'model':<6} {'nnscope ms':>11} {'pytorch ms':>11} {'speedup':>8} {'target':>7}"
              f" {'nnscope GFLOP/s':>16} {'pytorch GFLOP/s':>16}  ({clock})")
        for model in models:
            a = medians[model][mine]
            b = medians[model][other]
            target = TARGETS.get(model)
            mark = "" if target is None else (
                f"{target:.1f}x " + ("ok" if b / a >= target else "MISS"))
            print(f"{model:<6} {a:>11.3f} {b:>11.3f} {b / a:>7.2f}x {mark:>7} "
                  f"{flops[model] / a / 1e6:>16.1f} {flops[model] / b / 1e6:>16.1f}")
    for model in models:
        used = medians[model]["used"]
        if used is not None and used != threads:
            print(f"note: nnscope's {model} step used {used} thread(s) (a build without OpenMP "
                  f"runs on one)")
    if args.breakdown:
        for model in models:
            phases = medians[model]["phases"]
            if not phases:
                continue
            parts = ", ".join(f"{k} {statistics.median(p[k] for p in phases):.3f}"
                              for k in phases[0])
            print(f"nnscope {model} phases (ms): {parts}")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--threads", default="1",
                        help="threads of both programs; a list (1,2) runs each count")
    parser.add_argument("--models", default="mlp,cnn")
    parser.add_argument("--breakdown", action="store_true", help="nnscope's per-phase medians")
    parser.add_argument(
        "--malloc", choices=["both", "fair", "default"], default="both",
        help="fair: raise glibc's mmap threshold for both programs, so that large tensors are "
             "not fresh page-faulting mmaps each step (PyTorch's CPU allocator has no cache; on "
             "virtual machines where page faults are slow this can cost it 3-5x on cnn); both "
             "(the default) runs fair first, then glibc's defaults")
    parser.add_argument("--no-mmap-malloc", action="store_true", help="the same as --malloc fair")
    args = parser.parse_args()
    if args.no_mmap_malloc:
        args.malloc = "fair"

    cli = os.environ.get("NNSCOPE_CLI", os.path.join(HERE, "..", "build", "release", "src",
                                                      "nnscope-cli"))
    models = args.models.split(",")
    counts = [int(t) for t in args.threads.split(",")]
    flops = {m: step_flops(m, args.batch_size) for m in models}
    modes = {"both": ["fair", "default"], "fair": ["fair"], "default": ["default"]}[args.malloc]
    base = {k: v for k, v in os.environ.items() if k not in FAIR_MALLOC}
    results = {}
    for mode in modes:
        env = dict(base, **FAIR_MALLOC) if mode == "fair" else base
        label = ("--no-mmap-malloc (glibc mmap threshold raised)" if mode == "fair"
                 else "glibc's default allocator settings")
        for threads in counts:
            results[mode, threads] = measure(args, cli, models, threads, env)
            print_table(args, models, threads, label, results[mode, threads], flops)
        if len(counts) > 1:
            print(f"scaling over {counts[0]} thread(s), {label} (wall medians)")
            print(f"{'model':<6} {'threads':>8} {'nnscope':>9} {'pytorch':>9}")
            for model in models:
                first = results[mode, counts[0]][model]
                for threads in counts[1:]:
                    now = results[mode, threads][model]
                    print(f"{model:<6} {threads:>8} {first['ours'] / now['ours']:>8.2f}x "
                          f"{first['theirs'] / now['theirs']:>8.2f}x")
            print()
    for model in models:
        print(f"{model} step: {flops[model] / 1e6:.1f} MFLOP of GEMM work (batch {args.batch_size})")


if __name__ == "__main__":
    main()
