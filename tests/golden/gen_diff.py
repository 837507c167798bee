"""Golden files for tst_checkpoint_diff and tst_cli_diff: two checkpoints of one small MLP, before
and after a few SGD steps, saved by PyTorch itself, and what torch says about their differences.

  a.pt       torch.save(model.state_dict()) before training, plus
             "extra.only_a" (a tensor B lacks), "extra.shape" [3, 4], "extra.dtype" float32,
             "extra.nan" float32 [6], "extra.zero" zeros [4]
  b.pt       after 5 SGD steps, saved DataParallel-style: every key prefixed "module." (as
             torch.save(nn.DataParallel(model).state_dict()) writes), with "extra.only_b",
             "extra.shape" [4, 3], "extra.dtype" as float64 (other values), "extra.nan" with a
             NaN at index 2, "extra.zero" zeros [4]
  epochs/    epoch_1.pt, epoch_2.pt, epoch_10.pt: the state_dict after 1, 2 and 10 steps (a
             folder compared as a sequence: natural order puts epoch_10 last)

expected.json, per matched name (the "module." prefix stripped), over the pairs where both values
are finite, in float64:
  max_abs      (b - a).abs().max()
  relative     torch.linalg.norm(b - a) / torch.linalg.norm(a)
  cosine       torch.nn.functional.cosine_similarity(a.flatten(), b.flatten(), dim=0)
  differing    (a != b).sum()
  nonfinite    pairs where a or b is NaN or infinite
  histc        torch.histc(b - a, 16, min, max) (over the finite pairs)
and "epochs": per tensor name, the mean, std, min, max and norm of each epoch's tensor (float64)
and the relative change from the previous epoch.

Run: /usr/bin/python3 tests/golden/gen_diff.py (writes tests/golden/diff/, ~15 KB).
"""

import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "diff")
BINS = 16


def mlp():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3))


def train(model, steps):
    g = torch.Generator().manual_seed(1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(steps):
        x = torch.randn(16, 6, generator=g)
        y = torch.randint(0, 3, (16,), generator=g)
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def pair_stats(a, b):
    a = a.double().flatten()
    b = b.double().flatten()
    finite = torch.isfinite(a) & torch.isfinite(b)
    fa, fb = a[finite], b[finite]
    d = fb - fa
    out = {
        "max_abs": d.abs().max().item(),
        "relative": (torch.linalg.norm(d) / torch.linalg.norm(fa)).item(),
        "cosine": F.cosine_similarity(fa, fb, dim=0).item(),
        "differing": int((fa != fb).sum().item()),
        "nonfinite": int((~finite).sum().item()),
        "diff_min": d.min().item(),
        "diff_max": d.max().item(),
        "histc": [int(c) for c in torch.histc(d, BINS, d.min().item(), d.max().item()).tolist()],
    }
    return out


def main():
    os.makedirs(os.path.join(OUT, "epochs"), exist_ok=True)
    before = train(mlp(), 0)
    after = train(mlp(), 5)

    g = torch.Generator().manual_seed(2)
    a = dict(before)
    b = dict(after)
    a["extra.only_a"] = torch.randn(2, generator=g)
    b["extra.only_b"] = torch.randn(2, generator=g)
    a["extra.shape"] = torch.randn(3, 4, generator=g)
    b["extra.shape"] = torch.randn(4, 3, generator=g)
    a["extra.dtype"] = torch.randn(5, generator=g)
    b["extra.dtype"] = (a["extra.dtype"].double() + 0.25 * torch.randn(5, generator=g).double())
    a["extra.nan"] = torch.randn(6, generator=g)
    b["extra.nan"] = a["extra.nan"] + 0.5
    b["extra.nan"][2] = float("nan")
    a["extra.zero"] = torch.zeros(4)
    b["extra.zero"] = torch.zeros(4)
    torch.save(a, os.path.join(OUT, "a.pt"))
    torch.save({"module." + k: v for k, v in b.items()}, os.path.join(OUT, "b.pt"))

    expected = {"bins": BINS, "pairs": {}}
    for name in a:
        if name in b and a[name].shape == b[name].shape and name != "extra.zero":
            expected["pairs"][name] = pair_stats(a[name], b[name])

    epochs = {}
    previous = None
    for step in (1, 2, 10):
        state = train(mlp(), step)
        torch.save(state, os.path.join(OUT, "epochs", f"epoch_{step}.pt"))
        for name, t in state.items():
            t = t.double().flatten()
            series = epochs.setdefault(name, {"mean": [], "std": [], "min": [], "max": [],
                                              "norm": [], "change": []})
            series["mean"].append(t.mean().item())
            series["std"].append(t.std().item())
            series["min"].append(t.min().item())
            series["max"].append(t.max().item())
            series["norm"].append(torch.linalg.norm(t).item())
            if previous is None:
                series["change"].append(None)
            else:
                p = previous[name].double().flatten()
                series["change"].append((torch.linalg.norm(t - p) / torch.linalg.norm(p)).item())
        previous = state
    expected["epochs"] = {"files": ["epoch_1.pt", "epoch_2.pt", "epoch_10.pt"], "tensors": epochs}

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
