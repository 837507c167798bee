#!/usr/bin/python3
"""Runs plain `nnscope-cli train`, `nnscope-cli train --record` (every step), and PyTorch without
and with copying hooks (train_record_torch.py) alternately, and prints per model the medians of
the training time and the ratios recorded / plain (target for nnscope: at most 1.25x). See
train_record.sh.

nnscope's time is the CLI's train_seconds (wall, the training loop with data loading and, with
--record, the statistics and the JSON lines), and the process CPU of the whole run (loading and
evaluation included, the same in both modes) from getrusage; PyTorch's is its loop's wall and
thread CPU. On a shared machine the CPU columns are the steadier ones.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = 1.25


def run_json(command, env=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(out.strip().splitlines()[-1])
    result["process_cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--models", default="mlp,cnn")
    parser.add_argument("--limit", type=int, default=12800, help="training samples (200 steps)")
    args = parser.parse_args()

    cli = os.environ.get("NNSCOPE_CLI", os.path.join(HERE, "..", "build", "release", "src",
                                                      "nnscope-cli"))
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    record = os.path.join(tempfile.mkdtemp(prefix="nnscope-record-"), "record.jsonl")
    keys = ("plain", "record", "torch", "torch_hooks")
    runs = {m: {k: [] for k in keys} for m in args.models.split(",")}
    for _ in range(args.rounds):
        for model, r in runs.items():
            common = [cli, "train", "--model", model, "--dataset", "fashion-mnist", "--limit",
                      str(args.limit), "--lr", "0.1", "--json"]
            r["plain"].append(run_json(common))
            r["record"].append(run_json(common + ["--record", record]))
            torch_cmd = [sys.executable, os.path.join(HERE, "train_record_torch.py"), "--model",
                         model, "--limit", str(args.limit)]
            r["torch"].append(run_json(torch_cmd, env))
            r["torch_hooks"].append(run_json(torch_cmd + ["--hooks"], env))

    def med(values, key):
        return statistics.median(v[key] for v in values)

    print(f"{'model':6} {'':12} {'plain s':>9} {'recorded s':>11} {'ratio':>6}   "
          f"{'plain cpu':>9} {'rec. cpu':>9} {'ratio':>6}")
    for model, r in runs.items():
        rows = [("nnscope", r["plain"], r["record"], "process_cpu"),
                ("pytorch", r["torch"], r["torch_hooks"], "cpu_seconds")]
        for name, plain, rec, cpu_key in rows:
            wall_ratio = med(rec, "train_seconds") / med(plain, "train_seconds")
            cpu_ratio = med(rec, cpu_key) / med(plain, cpu_key)
            print(f"{model:6} {name:12} {med(plain, 'train_seconds'):9.3f} "
                  f"{med(rec, 'train_seconds'):11.3f} {wall_ratio:5.2f}x   "
                  f"{med(plain, cpu_key):9.3f} {med(rec, cpu_key):9.3f} {cpu_ratio:5.2f}x")
    print(f"target: nnscope --record at most {TARGET}x plain train; load average "
          f"{os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
