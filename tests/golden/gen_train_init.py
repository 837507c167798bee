"""Golden data for a training run's initialisation and loss (workflows/model_init.h,
workflows/train_loss.h), from real PyTorch 1.13.

Run with /usr/bin/python3 from anywhere; writes tests/golden/train_init/train_init.json:
- for the bundled mlp and cnn built after torch.manual_seed(seed), then model.apply(init) for
  every scheme: each parameter's float64 sum and first values, and the first epoch's order of
  DataLoader(range(64), batch_size=16, shuffle=True) made afterwards (the init draws from the
  same default generator, so the order shows how much it drew);
- the losses of the seeded mlp (default init) on a deterministic batch: CrossEntropyLoss with
  and without label smoothing, and NLLLoss on log_softmax and on the raw logits.
"""

import json
import math
import os

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "train_init")
SCHEMES = ["default", "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal",
           "normal", "zeros"]
NORMAL_STD = 0.05


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256),
                         nn.ReLU(), nn.Linear(256, 10))


def cnn():
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(1568, 10))


def init_fn(scheme):
    def init(m):
        if not isinstance(m, (nn.Linear, nn.Conv2d, nn.Embedding, nn.EmbeddingBag)):
            return
        w = m.weight
        if scheme == "xavier_uniform":
            nn.init.xavier_uniform_(w)
        elif scheme == "xavier_normal":
            nn.init.xavier_normal_(w)
        elif scheme == "kaiming_uniform":
            nn.init.kaiming_uniform_(w, nonlinearity="relu")
        elif scheme == "kaiming_normal":
            nn.init.kaiming_normal_(w, nonlinearity="relu")
        elif scheme == "normal":
            nn.init.normal_(w, 0.0, NORMAL_STD)
        else:
            nn.init.zeros_(w)
        if getattr(m, "bias", None) is not None:
            nn.init.zeros_(m.bias)
    return init


def det(*shape):
    """Deterministic float32 values that draw nothing from the generator."""
    t = torch.arange(math.prod(shape), dtype=torch.float64)
    return torch.sin(t * 1.37 + 0.3).float().reshape(shape)


def gen_inits():
    cases = []
    for name, build in (("mlp", mlp), ("cnn", cnn)):
        for seed in (0, 7):
            for scheme in SCHEMES:
                torch.manual_seed(seed)
                model = build()
                if scheme != "default":
                    model.apply(init_fn(scheme))
                params = {k: {"sum": v.double().sum().item(),
                              "first": v.reshape(-1)[:3].double().tolist()}
                          for k, v in model.state_dict().items()}
                loader = torch.utils.data.DataLoader(list(range(64)), batch_size=16,
                                                     shuffle=True)
                order = [i for batch in loader for i in batch.tolist()]
                cases.append({"model": name, "seed": seed, "scheme": scheme, "std": NORMAL_STD,
                              "parameters": params, "order": order})
    return cases


def gen_losses():
    torch.manual_seed(0)
    model = mlp()
    x = det(16, 1, 28, 28)
    labels = torch.arange(16) % 10
    with torch.no_grad():
        logits = model(x)
    return {
        "seed": 0, "labels": labels.tolist(),
        "cross_entropy": nn.CrossEntropyLoss()(logits, labels).item(),
        "cross_entropy_smoothed": nn.CrossEntropyLoss(label_smoothing=0.1)(logits, labels).item(),
        "nll_log_softmax": nn.NLLLoss()(torch.log_softmax(logits, 1), labels).item(),
        "nll_logits": nn.NLLLoss()(logits, labels).item(),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    doc = {"torch": torch.__version__, "inits": gen_inits(), "losses": gen_losses()}
    path = os.path.join(OUT, "train_init.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
