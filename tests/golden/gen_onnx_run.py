#!/usr/bin/env python3
"""Small models exported with torch.onnx.export at several opsets, with PyTorch 1.13's outputs and
gradients, for tst_onnx_run. Run with /usr/bin/python3.

Writes tests/golden/onnx_run/:
  M.opsetV.onnx     the model M exported at opset V (11, 14, 17; Einsum from 12, its first opset)
  M.safetensors     "input" (or "ids" for bert), "grad_output", "output" (eval mode) and the
                    gradient of sum(output * grad_output): "grad.input" for float inputs, and for
                    bert "grad.tok.weight" (the token embedding table); for bert also each
                    submodule's output "module.NAME" and its gradient "grad.module.NAME" (hooks),
                    what the ONNX graph's scope NAME must show after a run
Models (tiny dims):
  bert           token + position embedding, one encoder layer: multi-head self-attention
                 (2 heads), residual + LayerNorm, GELU feed-forward, residual + LayerNorm
  lstm           bidirectional LSTM, batch first
  gru            two-layer GRU
  resize         nearest x2 and bilinear (half-pixel) resizes, summed
  convtranspose  stride-2 transposed convs with padding, output_padding and groups
  einsum         batched contractions 'bij,jk->bik' and 'bik,bil->bkl'
"""
import math
import os

import torch
import torch.nn.functional as F
from torch import nn

import goldenlib

OUT = os.environ.get("NNSCOPE_GOLDEN_OUT") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "onnx_run")


class Bert(nn.Module):
    def __init__(self, vocab=20, d=16, heads=2, seq=5, ff=32):
        super().__init__()
        self.heads = heads
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(seq, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.norm1 = nn.LayerNorm(d)
        self.ff1 = nn.Linear(d, ff)
        self.ff2 = nn.Linear(ff, d)
        self.norm2 = nn.LayerNorm(d)

    def forward(self, ids):
        b, s = ids.shape
        x = self.tok(ids) + self.pos(torch.arange(s))
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        dh = q.shape[-1] // self.heads

        def split(t):
            return t.reshape(b, s, self.heads, dh).transpose(1, 2)

        att = torch.softmax(split(q) @ split(k).transpose(-2, -1) / math.sqrt(dh), dim=-1)
        ctx = (att @ split(v)).transpose(1, 2).reshape(b, s, -1)
        x = self.norm1(x + self.proj(ctx))
        return self.norm2(x + self.ff2(F.gelu(self.ff1(x))))


class Lstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(4, 5, batch_first=True, bidirectional=True)

    def forward(self, x):
        return self.rnn(x)[0]


class Gru(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(4, 5, num_layers=2)

    def forward(self, x):
        return self.rnn(x)[0]


class Resize(nn.Module):
    def forward(self, x):
        return (F.interpolate(x, scale_factor=2.0, mode="nearest") +
                F.interpolate(x, size=(6, 8), mode="bilinear", align_corners=False))


class ConvTranspose(nn.Module):
    def __init__(self):
        super().__init__()
        self.up1 = nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1)
        self.up2 = nn.ConvTranspose2d(4, 4, 2, stride=2, groups=2)

    def forward(self, x):
        return self.up2(torch.relu(self.up1(x)))


class Einsum(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(4, 3))

    def forward(self, x):
        y = torch.einsum("bij,jk->bik", x, self.w)
        return torch.einsum("bik,bil->bkl", y, y)


class Pads(nn.Module):
    """Conv2d's padding modes reflect and replicate, which export as Pad (reflect, edge).

    Not circular: 1.13's exporter slices the wrong rows for it (pytorch/pytorch#86690), so its
    ONNX graph does not compute what PyTorch does.
    """

    def __init__(self):
        super().__init__()
        self.reflect = nn.Conv2d(2, 3, 3, padding=(1, 2), padding_mode="reflect")
        self.edge = nn.Conv2d(3, 2, (2, 3), padding="same", padding_mode="replicate")

    def forward(self, x):
        return self.edge(torch.relu(self.reflect(x)))


def models(g):
    return [
        ("bert", Bert(), torch.randint(0, 20, (2, 5), generator=g), (11, 14, 17)),
        ("lstm", Lstm(), torch.randn(2, 3, 4, generator=g), (11, 14, 17)),
        ("gru", Gru(), torch.randn(3, 2, 4, generator=g), (11, 14, 17)),
        ("resize", Resize(), torch.randn(1, 2, 3, 4, generator=g), (11, 14, 17)),
        ("convtranspose", ConvTranspose(), torch.randn(1, 3, 4, 5, generator=g), (11, 14, 17)),
        ("einsum", Einsum(), torch.randn(2, 5, 4, generator=g), (12, 14, 17)),
        # Drawn from the global generator, so that g's later draws (the gradients) keep their
        # values for the models above.
        ("pads", Pads(), torch.randn(2, 2, 5, 6), (11, 14, 17)),
    ]


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(1616)
    g = torch.Generator().manual_seed(1617)
    for name, model, x, opsets in models(g):
        model.eval()
        for opset in opsets:
            torch.onnx.export(model, (x,), os.path.join(OUT, f"{name}.opset{opset}.onnx"),
                              opset_version=opset, input_names=["input"], output_names=["output"],
                              do_constant_folding=True)
        floating = x.is_floating_point()
        xi = x.clone().requires_grad_(floating)
        recorded = {}
        handles = []
        if name == "bert":
            for sub in ("qkv", "proj", "norm1", "ff1", "ff2", "norm2"):
                module = getattr(model, sub)
                handles.append(module.register_forward_hook(
                    lambda m, i, o, sub=sub: recorded.__setitem__(f"module.{sub}", o.detach())))
                handles.append(module.register_full_backward_hook(
                    lambda m, gi, go, sub=sub: recorded.__setitem__(f"grad.module.{sub}", go[0])))
        y = model(xi)
        grad_output = torch.rand(y.shape, generator=g) * 2 - 1
        (y * grad_output).sum().backward()
        for h in handles:
            h.remove()
        tensors = {"input": x, "grad_output": grad_output, "output": y.detach(), **recorded}
        if floating:
            tensors["grad.input"] = xi.grad
        else:
            tensors["grad.tok.weight"] = model.tok.weight.grad
        goldenlib.save_file(tensors, os.path.join(OUT, f"{name}.safetensors"))


if __name__ == "__main__":
    main()
