"""Golden data for tensor basics and pointwise ops, from real PyTorch 1.13.

Run with /usr/bin/python3 from anywhere; writes tests/golden/elementwise/*.safetensors.
"""

import os

import torch

from goldenlib import save_file

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "elementwise")


def binary_cases():
    g = torch.Generator().manual_seed(7)
    shapes = [((3, 4), (3, 4)), ((2, 3, 4), (4,)), ((3, 1), (1, 5)), ((5,), ()), ((), (2, 2)),
              ((2, 1, 3), (4, 1))]
    tensors, index = {}, 0
    for op in ["add", "sub", "mul", "div", "pow"]:
        for a_shape, b_shape in shapes:
            a = torch.rand(a_shape, generator=g) * 2 + 0.5
            b = torch.rand(b_shape, generator=g) * 2 - (0.0 if op == "pow" else 1.0)
            a.requires_grad_(True)
            b.requires_grad_(True)
            out = getattr(torch, op)(a, b)
            gout = torch.rand(out.shape, generator=g)
            out.backward(gout)
            key = f"{op}.{index}"
            tensors.update({f"{key}.a": a.detach(), f"{key}.b": b.detach(),
                            f"{key}.out": out.detach(), f"{key}.grad_out": gout,
                            f"{key}.grad_a": a.grad, f"{key}.grad_b": b.grad})
            index += 1
    # add with alpha, and python-scalar operands keep the tensor's dtype
    a = torch.rand(3, 2, generator=g, dtype=torch.float64, requires_grad=True)
    b = torch.rand(2, generator=g, dtype=torch.float64, requires_grad=True)
    out = torch.add(a, b, alpha=-2.5)
    out.sum().backward()
    tensors.update({"alpha.a": a.detach(), "alpha.b": b.detach(), "alpha.out": out.detach(),
                    "alpha.grad_a": a.grad, "alpha.grad_b": b.grad})
    save_file(tensors, os.path.join(OUT, "binary.safetensors"))


def unary_cases():
    g = torch.Generator().manual_seed(11)
    x = torch.randn(4, 5, generator=g)
    x[0, 0], x[0, 1], x[0, 2] = float("nan"), float("inf"), -float("inf")
    x[1, 0] = 0.0
    positive = torch.rand(4, 5, generator=g) + 0.1
    tensors = {"x": x, "positive": positive}
    for name, fn, src in [("exp", torch.exp, "x"), ("log", torch.log, "positive"),
                          ("sqrt", torch.sqrt, "positive"), ("abs", torch.abs, "x"),
                          ("neg", torch.neg, "x"),
                          ("clamp", lambda t: torch.clamp(t, -0.5, 0.7), "x"),
                          ("clamp_min", lambda t: torch.clamp(t, min=0.1), "x"),
                          ("pow2", lambda t: torch.pow(t, 2.0), "x"),
                          ("pow_half", lambda t: torch.pow(t, 0.5), "positive"),
                          ("pow_neg", lambda t: torch.pow(t, -1.5), "positive")]:
        inp = tensors[src].clone().requires_grad_(True)
        out = fn(inp)
        gout = torch.rand(out.shape, generator=g)
        out.backward(gout)
        tensors.update({f"{name}.out": out.detach(), f"{name}.grad_out": gout,
                        f"{name}.grad": inp.grad})
    # log of non-positive values: -inf and NaN as IEEE says
    tensors["log_edge.in"] = torch.tensor([0.0, -1.0, 1.0])
    tensors["log_edge.out"] = torch.log(tensors["log_edge.in"])
    save_file(tensors, os.path.join(OUT, "unary.safetensors"))


def conversions():
    values = torch.tensor([0.0, -0.0, 1.0, -2.5, 3.75, 65504.0, 65520.0, 1e-8, 5.960464477539063e-08,
                           2.9802322387695312e-08, 8.940696716308594e-08, 6.1e-05, 1.00048828125,
                           1.001953125, 1.00390625, 1.01171875, 3.4e38, float("inf"),
                           -float("inf"), 1e-40, -7.9, 255.9, -128.5])
    tensors = {
        "float32": values,
        "float16_bits": values.to(torch.float16).view(torch.int16),
        "bfloat16_bits": values.to(torch.bfloat16).view(torch.int16),
    }
    finite = values[torch.isfinite(values) & (values.abs() < 1e9)]
    tensors["finite"] = finite
    tensors["to_int64"] = finite.to(torch.int64)
    tensors["to_bool"] = finite.to(torch.bool)
    small = torch.tensor([-7.9, 0.0, 3.2, 100.7, 250.5])
    tensors["small"] = small
    tensors["small_to_uint8"] = small[1:].to(torch.uint8)
    save_file(tensors, os.path.join(OUT, "conversions.safetensors"))


def promotions():
    dtypes = [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
              torch.float16, torch.bfloat16, torch.float32, torch.float64]
    rows = []
    for a in dtypes:
        for b in dtypes:
            for a_dim, b_dim in [(1, 1), (0, 1), (1, 0)]:
                ta = torch.ones([2] * a_dim, dtype=a)
                tb = torch.ones([2] * b_dim, dtype=b)
                rows.append(f"{str(a)[6:]},{a_dim},{str(b)[6:]},{b_dim},{str(torch.result_type(ta, tb))[6:]}")
    save_file({"dummy": torch.zeros(1)}, os.path.join(OUT, "promotions.safetensors"),
              metadata={"rows": ";".join(rows)})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    binary_cases()
    unary_cases()
    conversions()
    promotions()
