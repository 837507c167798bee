"""Golden files for tst_tied_tensors: a small language model whose decoder weight is tied to its
embedding (one tensor under two names, as GPT-2 and many seq2seq models do), with a frozen
parameter and a non-persistent buffer, saved three ways by PyTorch itself:

  state_dict.pt  torch.save(model.state_dict()): detached tensors; the two names share a storage
  params.pt      torch.save({"model": model.state_dict(keep_vars=True), "epoch": 3}): Parameters,
                 pickled with their requires_grad
  script.pt      torch.jit.save(torch.jit.script(model)): the module tree, each tensor pickled with
                 its requires_grad; the tie is one pickled object under two attributes

expected.json holds, per file, what PyTorch says:
  "modules": {path: [own, total]}  sum(p.numel() for p in m.parameters(recurse=False / True)),
             which counts a shared tensor once
  "tensors": {name: {"shares_with": first name of the same tensor or "",
                     "requires_grad": true | false | null, "persistent": true | false | null}}
             null where the file does not record it (a state_dict holds detached tensors; only
             TorchScript keeps buffers' persistence: it saves every buffer)
  "parameters": total parameter elements, each tensor once
and "embed_weight_stats": min, max, mean and std of the tied weight.

Run: /usr/bin/python3 tests/golden/gen_tied.py (writes tests/golden/tied/, ~20 KB).
"""

import json
import os

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tied")


class TiedLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(20, 8)
        self.body = nn.Sequential(nn.Linear(8, 8), nn.BatchNorm1d(8), nn.Tanh())
        self.head = nn.Linear(8, 20)
        self.head.weight = self.embed.weight  # tied
        self.scale = nn.Parameter(torch.full((1,), 0.5), requires_grad=False)
        self.register_buffer("mask", torch.ones(20), persistent=False)

    def forward(self, x):
        return self.head(self.body(self.embed(x))) * self.scale * self.mask


def module_counts(model, modules):
    """[own, total] per module path as PyTorch counts them (parameters() removes duplicates)."""
    named = dict(model.named_modules())
    counts = {}
    for path in modules:
        m = named[path]
        counts[path] = [sum(p.numel() for p in m.parameters(recurse=False)),
                        sum(p.numel() for p in m.parameters())]
    return counts


def tensor_facts(model, names, requires_grad_known, persistent_known):
    """Per state_dict name: the first name sharing its tensor, and the flags the file records."""
    first_of = {}
    facts = {}
    for name in names:
        owner, _, attr = name.rpartition(".")
        t = getattr(model.get_submodule(owner) if owner else model, attr)
        key = (t.data_ptr(), t.dtype, tuple(t.shape), tuple(t.stride()))
        shares = first_of.setdefault(key, name)
        is_param = isinstance(t, nn.Parameter)
        facts[name] = {
            "shares_with": "" if shares == name else shares,
            "requires_grad": t.requires_grad if (is_param and requires_grad_known) else None,
            "persistent": True if (not is_param and persistent_known) else None,
        }
    return facts


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    model = TiedLM()
    model.train()
    model(torch.randint(0, 20, (6,)))  # moves the BatchNorm running statistics
    model.eval()
    names = list(model.state_dict().keys())
    modules = [p for p, _ in model.named_modules()]
    parameters = sum(p.numel() for p in model.parameters())
    expected = {}

    torch.save(model.state_dict(), os.path.join(OUT, "state_dict.pt"))
    facts = tensor_facts(model, names, False, False)
    # The file says nothing about requires_grad: its tensors are detached.
    expected["state_dict.pt"] = {"modules": module_counts(model, modules), "tensors": facts,
                                 "parameters": parameters}

    torch.save({"model": model.state_dict(keep_vars=True), "epoch": 3},
               os.path.join(OUT, "params.pt"))
    facts = tensor_facts(model, names, True, False)
    expected["params.pt"] = {
        "modules": {("model." + p if p else "model"): c
                    for p, c in module_counts(model, modules).items()},
        "tensors": {"model." + n: dict(f, shares_with="model." + f["shares_with"]
                                        if f["shares_with"] else "")
                    for n, f in facts.items()},
        "parameters": parameters}

    script = torch.jit.script(model)
    path = os.path.join(OUT, "script.pt")
    torch.jit.save(script, path)
    loaded = torch.jit.load(path)
    # TorchScript keeps every buffer, the non-persistent one included (its state_dict lists it).
    script_names = list(loaded.state_dict().keys())
    assert "mask" in script_names
    facts = {}
    first_of = {}
    param_names = {n for n, _ in loaded.named_parameters()}
    for name in script_names:
        owner, _, attr = name.rpartition(".")
        holder = loaded
        for part in owner.split(".") if owner else []:
            holder = getattr(holder, part)
        t = getattr(holder, attr)
        key = (t.data_ptr(), t.dtype, tuple(t.shape), tuple(t.stride()))
        shares = first_of.setdefault(key, name)
        is_param = name in param_names or shares in param_names
        facts[name] = {"shares_with": "" if shares == name else shares,
                       "requires_grad": t.requires_grad if is_param else None,
                       "persistent": None if is_param else True}
    expected["script.pt"] = {"modules": module_counts(loaded, [p for p, _ in
                                                              loaded.named_modules()]),
                             "tensors": facts, "parameters": sum(p.numel()
                                                                 for p in loaded.parameters())}

    # The tied weight's statistics as PyTorch computes them (float64; std unbiased), for the
    # statistics the worker streams under both names.
    w = model.embed.weight.detach().double()
    expected["embed_weight_stats"] = {"min": w.min().item(), "max": w.max().item(),
                                      "mean": w.mean().item(), "std": w.std().item()}

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
