#!/usr/bin/python3
"""Forward-only speed of torchvision models: nnscope (nnscope-vision-bench) vs PyTorch 1.13 on
the same machine, one thread each, alternating rounds, medians and ratios (see
vision_forward.sh, which builds nnscope-vision-bench first).

Both run the eval-mode forward of a freshly built model on a BATCH x 3 x 224 x 224 input without
autograd: PyTorch under torch.no_grad() with torch.set_num_threads(1) and OMP_NUM_THREADS =
MKL_NUM_THREADS = OPENBLAS_NUM_THREADS = 1 (its convolutions run through its own kernels, its
Linear through OpenBLAS), nnscope with one engine thread. Each round runs each side once per case
(ITERATIONS timed forwards after two warm-ups) and keeps its median; the table shows the median
over the rounds and nnscope's speed-up (PyTorch time / nnscope time: above 1 is faster), then
the fastest single forward seen on each side (less sensitive to a shared machine's load).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

TORCH_SIDE = r"""
import json, sys, time, torch, torchvision
torch.set_num_threads(1)
name, batch, iterations = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.manual_seed(0)
model = getattr(torchvision.models, name)(weights=None).eval()
x = torch.rand(batch, 3, 224, 224, generator=torch.Generator().manual_seed(1))
ms = []
with torch.no_grad():
    for i in range(iterations + 2):
        start = time.perf_counter()
        model(x)
        took = (time.perf_counter() - start) * 1000
        if i >= 2:
            ms.append(took)
ms.sort()
print(json.dumps({"model": name, "batch": batch, "median_ms": ms[len(ms) // 2], "min_ms": ms[0]}))
"""


def run_json(command, env):
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default="resnet18,mobilenet_v2")
    parser.add_argument("--batches", default="1,16")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=0,
                        help="timed forwards per run (default: 10 at batch 1, 3 above)")
    args = parser.parse_args()
    bench = os.environ.get("NNSCOPE_VISION_BENCH")
    if not bench:
        sys.exit("NNSCOPE_VISION_BENCH is not set (run bench/vision_forward.sh)")
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    cases = [(m, int(b)) for m in args.models.split(",") for b in args.batches.split(",")]
    results = {case: {"nnscope": [], "torch": [], "nnscope_min": [], "torch_min": []}
               for case in cases}
    for r in range(args.rounds):
        for model, batch in cases:
            iterations = str(args.iterations or (10 if batch == 1 else 3))
            ours = run_json([bench, model, str(batch), iterations, "1"], env)
            theirs = run_json([sys.executable, "-c", TORCH_SIDE, model, str(batch), iterations],
                              env)
            results[(model, batch)]["nnscope"].append(ours["median_ms"])
            results[(model, batch)]["torch"].append(theirs["median_ms"])
            results[(model, batch)]["nnscope_min"].append(ours["min_ms"])
            results[(model, batch)]["torch_min"].append(theirs["min_ms"])
            print(f"round {r + 1}: {model} batch {batch}: nnscope {ours['median_ms']:.1f} ms, "
                  f"PyTorch {theirs['median_ms']:.1f} ms", file=sys.stderr, flush=True)
    print(f"{'model':<14} {'batch':>5} {'nnscope ms':>11} {'PyTorch ms':>11} {'speed-up':>9}"
          f" {'best nnscope':>13} {'best PyTorch':>13} {'speed-up':>9}")
    for (model, batch), r in results.items():
        ours = statistics.median(r["nnscope"])
        theirs = statistics.median(r["torch"])
        best_ours = min(r["nnscope_min"])
        best_theirs = min(r["torch_min"])
        print(f"{model:<14} {batch:>5} {ours:>11.1f} {theirs:>11.1f} {theirs / ours:>8.2f}x"
              f" {best_ours:>13.1f} {best_theirs:>13.1f} {best_theirs / best_ours:>8.2f}x")


if __name__ == "__main__":
    main()
