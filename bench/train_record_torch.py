#!/usr/bin/python3
"""PyTorch's side of bench/train_record.sh: bench/torch_train.py's recipe (manual_seed, the
model, SGD, DataLoader(shuffle=True) over Fashion-MNIST) for the first --limit samples, plain or,
with --hooks, with a forward hook and a full backward hook on every module of named_modules() that
copy the tensor they see (out.detach().clone(), grad_output[0].clone()), as a PyTorch user records
activations and gradients. Prints one JSON line: the training loop's wall seconds and its thread
CPU seconds. Runs on one thread (OPENBLAS_NUM_THREADS=1, set by the caller).
"""

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="mlp", choices=["mlp", "cnn"])
    parser.add_argument("--limit", type=int, default=12800)
    parser.add_argument("--hooks", action="store_true")
    args = parser.parse_args()

    import torch

    sys.path.insert(0, HERE)
    from torch_step import build_default
    from torch_train import FASHION, load_split

    torch.set_num_threads(1)
    x, y = load_split(torch, FASHION, "train", args.limit)
    torch.manual_seed(0)
    model = build_default(args.model, torch)
    kept = []
    if args.hooks:
        for _, m in model.named_modules():
            m.register_forward_hook(lambda m, i, o: kept.append(o.detach().clone()))
            m.register_full_backward_hook(
                lambda m, gi, go: kept.append(go[0].clone()) if go[0] is not None else None)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = torch.nn.CrossEntropyLoss()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=64,
                                         shuffle=True)
    start, cpu = time.perf_counter(), time.thread_time()
    for xb, yb in loader:
        opt.zero_grad()
        loss_fn(model(xb), yb).backward()
        opt.step()
        kept.clear()  # a recorder hands the copies on; none accumulate
    print(json.dumps({"framework": "pytorch", "model": args.model, "hooks": args.hooks,
                      "train_seconds": time.perf_counter() - start,
                      "cpu_seconds": time.thread_time() - cpu}))


if __name__ == "__main__":
    main()
