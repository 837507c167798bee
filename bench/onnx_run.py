#!/usr/bin/env python3
"""PyTorch's side of bench/onnx_run.sh.

  onnx_run.py export DIR        writes DIR/resnet18.onnx and DIR/mobilenet_v2.onnx (torchvision,
                                random weights, opset 13, dynamic batch) for nnscope-onnx-bench
  onnx_run.py time MODEL BATCH  the same torchvision model in PyTorch 1.13: eval, no_grad,
                                torch.set_num_threads(THREADS), 2 warm-up runs, median of RUNS;
                                prints one JSON line like nnscope-onnx-bench
Environment: THREADS (default 1), RUNS (default 10), SIZE (default 224).
"""
import json
import os
import statistics
import sys
import time

import torch
import torchvision

MODELS = {"resnet18": torchvision.models.resnet18, "mobilenet_v2": torchvision.models.mobilenet_v2}
SIZE = int(os.environ.get("SIZE", "224"))


def build(name):
    torch.manual_seed(16)
    return MODELS[name](weights=None).eval()


def export(folder):
    os.makedirs(folder, exist_ok=True)
    for name in MODELS:
        x = torch.rand(1, 3, SIZE, SIZE)
        torch.onnx.export(build(name), (x,), os.path.join(folder, name + ".onnx"), opset_version=13,
                          input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})


def time_model(name, batch):
    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    runs = int(os.environ.get("RUNS", "10"))
    model = build(name)
    x = torch.full((batch, 3, SIZE, SIZE), 0.25)
    ms = []
    with torch.no_grad():
        for _ in range(2):
            model(x)
        for _ in range(runs):
            t0 = time.perf_counter()
            model(x)
            ms.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"model": name, "batch": batch, "median_ms": round(statistics.median(ms), 2),
                      "min_ms": round(min(ms), 2)}))


if __name__ == "__main__":
    if sys.argv[1] == "export":
        export(sys.argv[2])
    else:
        time_model(sys.argv[2], int(sys.argv[3]))
