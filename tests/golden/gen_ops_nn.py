"""Golden data for the compute-heavy nn ops (linalg, conv, pool, norm, dropout) from PyTorch 1.13.

Run: /usr/bin/python3 tests/golden/gen_ops_nn.py   (writes tests/golden/ops_nn/*.safetensors)

Every file lists its cases as JSON in the metadata key "cases" (name plus op parameters); each
case stores its inputs, the output, a random upstream gradient "gy" and the gradient of every
input under "<case>.<tensor>". Inputs are scaled so that sums stay O(1) and float32 results are
comparable at 1e-5 abs + 1e-4 rel.
"""

import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenlib import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ops_nn")


def leaf(shape, scale=1.0, dtype=torch.float32):
    return (torch.randn(*shape, dtype=torch.float64) * scale).to(dtype).requires_grad_()


def record(store, name, inputs, out, extra=None, gy_scale=1.0):
    """Backward with a random gy and store inputs, output, gy and the inputs' gradients."""
    gy = (torch.randn(out.shape, dtype=torch.float64) * gy_scale).to(out.dtype)
    out.backward(gy)
    for key, t in inputs.items():
        store[f"{name}.{key}"] = t.detach().clone()
        if t.requires_grad:
            store[f"{name}.grad_{key}"] = t.grad.clone()
    store[f"{name}.out"] = out.detach().clone()
    store[f"{name}.gy"] = gy
    for key, t in (extra or {}).items():
        store[f"{name}.{key}"] = t.detach().clone()


def write(filename, store, cases):
    os.makedirs(OUT, exist_ok=True)
    save_file(store, os.path.join(OUT, filename), {"cases": json.dumps(cases)})


def gen_linalg():
    store, cases = {}, []

    def case(name, op, a_shape, b_shape, **params):
        k = a_shape[-1]
        inputs = {"a": leaf(a_shape, 1 / math.sqrt(k)), "b": leaf(b_shape)}
        if op == "mm":
            out = torch.mm(inputs["a"], inputs["b"])
        elif op == "bmm":
            out = torch.bmm(inputs["a"], inputs["b"])
        elif op == "matmul":
            out = torch.matmul(inputs["a"], inputs["b"])
        elif op == "addmm":
            inputs["input"] = leaf(params["input_shape"])
            out = torch.addmm(inputs["input"], inputs["a"], inputs["b"],
                              beta=params["beta"], alpha=params["alpha"])
        elif op == "linear":
            if params.get("bias"):
                inputs["bias"] = leaf([b_shape[0]])
            out = F.linear(inputs["a"], inputs["b"], inputs.get("bias"))
        record(store, name, inputs, out)
        cases.append({"name": name, "op": op, **params})

    case("mm", "mm", [5, 7], [7, 3])
    case("mm_row", "mm", [1, 9], [9, 4])
    case("bmm", "bmm", [3, 4, 5], [3, 5, 2])
    case("dot", "matmul", [6], [6])
    case("mv", "matmul", [4, 3], [3])
    case("vm", "matmul", [3], [3, 4])
    case("mm_via_matmul", "matmul", [4, 3], [3, 5])
    case("fold_3d_2d", "matmul", [2, 4, 3], [3, 5])
    case("fold_3d_1d", "matmul", [2, 4, 3], [3])
    case("batch_broadcast", "matmul", [2, 1, 4, 3], [3, 3, 2])
    case("matrix_times_batch", "matmul", [4, 3], [2, 3, 5])
    case("vector_times_batch", "matmul", [3], [2, 3, 5])
    case("batch_3d_3d", "matmul", [2, 4, 3], [2, 3, 5])
    case("addmm_row_input", "addmm", [3, 4], [4, 5], input_shape=[5], beta=0.5, alpha=2.0)
    case("addmm_full_input", "addmm", [3, 4], [4, 5], input_shape=[3, 5], beta=1.0, alpha=1.0)
    case("addmm_column_input", "addmm", [3, 4], [4, 5], input_shape=[3, 1], beta=-1.5, alpha=0.25)
    case("linear", "linear", [6, 8], [5, 8], bias=True)
    case("linear_no_bias", "linear", [6, 8], [5, 8], bias=False)
    case("linear_3d", "linear", [2, 3, 8], [5, 8], bias=True)
    case("linear_1d", "linear", [8], [5, 8], bias=True)
    case("linear_wide", "linear", [4, 40], [33, 40], bias=True)
    write("linalg.safetensors", store, cases)


def gen_conv():
    store, cases = {}, []

    def case(name, x_shape, w_shape, stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1,
             bias=True):
        fan_in = w_shape[1] * w_shape[2] * w_shape[3]
        inputs = {"x": leaf(x_shape), "weight": leaf(w_shape, 1 / math.sqrt(fan_in))}
        if bias:
            inputs["bias"] = leaf([w_shape[0]])
        out = F.conv2d(inputs["x"], inputs["weight"], inputs.get("bias"), stride, padding,
                       dilation, groups)
        # Weight and bias gradients sum over items and positions: keep those sums O(1).
        terms = out.numel() // out.shape[-3]
        record(store, name, inputs, out, gy_scale=1 / math.sqrt(terms))
        cases.append({"name": name, "stride": list(stride), "padding": list(padding),
                      "dilation": list(dilation), "groups": groups, "bias": bias})

    case("basic", [2, 3, 7, 6], [4, 3, 3, 3])
    case("padded", [2, 1, 6, 6], [5, 1, 3, 3], padding=(1, 1))
    case("strided", [2, 3, 9, 8], [4, 3, 3, 3], stride=(2, 3), padding=(1, 2))
    case("dilated", [1, 2, 10, 9], [3, 2, 3, 2], dilation=(2, 3), padding=(2, 1))
    case("non_square", [2, 2, 8, 7], [3, 2, 2, 4], stride=(1, 2))
    case("groups", [2, 4, 6, 6], [6, 2, 3, 3], groups=2, padding=(1, 1))
    case("depthwise", [2, 3, 6, 5], [6, 1, 3, 3], groups=3, padding=(1, 1))
    case("pointwise", [2, 6, 4, 5], [4, 6, 1, 1])
    case("pointwise_groups", [2, 6, 4, 5], [4, 3, 1, 1], groups=2, bias=False)
    case("pointwise_strided", [1, 3, 5, 5], [2, 3, 1, 1], stride=(2, 2))
    case("no_bias", [3, 2, 5, 5], [2, 2, 3, 3], padding=(1, 0), bias=False)
    case("unbatched", [3, 6, 6], [2, 3, 3, 3], padding=(1, 1))
    case("big_kernel_pad", [1, 1, 4, 4], [2, 1, 5, 5], padding=(2, 2))
    case("batch_chunks", [9, 16, 14, 14], [4, 16, 3, 3], padding=(1, 1))
    # One input channel per group: the direct convolution (and its 3x3 vector kernels: odd
    # widths for the masked last vector, output channels not a multiple of 4). Drawn from their
    # own seed so that the cases above and the other files keep their values.
    state = torch.get_rng_state()
    torch.manual_seed(95)
    case("single_channel", [2, 1, 12, 11], [5, 1, 3, 3], padding=(1, 1))
    case("single_channel_mnist", [2, 1, 28, 28], [16, 1, 3, 3], padding=(1, 1))
    case("single_channel_stride2", [2, 1, 11, 13], [6, 1, 3, 3], stride=(2, 2), padding=(1, 1))
    case("single_channel_row_stride", [2, 1, 10, 9], [3, 1, 3, 3], stride=(2, 1))
    case("single_channel_dilated", [1, 1, 11, 10], [5, 1, 3, 3], dilation=(2, 2),
         padding=(1, 2))
    case("single_channel_5x5", [2, 1, 9, 9], [4, 1, 5, 5], padding=(2, 2), bias=False)
    case("depthwise_wide", [2, 3, 9, 17], [6, 1, 3, 3], groups=3, padding=(1, 1))
    torch.set_rng_state(state)
    write("conv.safetensors", store, cases)


def gen_pool():
    store, cases = {}, []

    def case(name, op, x, kernel, stride, padding=(0, 0), dilation=(1, 1), ceil_mode=False,
             count_include_pad=True, divisor_override=None):
        x = x.detach().clone().requires_grad_()
        if op == "max":
            out = F.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode)
        else:
            out = F.avg_pool2d(x, kernel, stride, padding, ceil_mode, count_include_pad,
                               divisor_override)
        record(store, name, {"x": x}, out)
        cases.append({"name": name, "op": op, "kernel": list(kernel), "stride": list(stride),
                      "padding": list(padding), "dilation": list(dilation),
                      "ceil_mode": ceil_mode, "count_include_pad": count_include_pad,
                      "divisor_override": divisor_override or 0})

    r = lambda *s: torch.randn(*s)  # noqa: E731
    # Small integers make ties: the gradient must go to the first maximum, as PyTorch's.
    ties = torch.randint(0, 3, (2, 3, 6, 6)).float()
    nan = torch.randn(1, 2, 6, 6)
    nan[0, 0, 1, 1] = float("nan")
    nan[0, 1, 2, 3] = float("nan")
    nan[0, 1, 3, 3] = float("nan")
    case("max_2x2", "max", r(2, 3, 8, 8), (2, 2), (2, 2))
    case("max_2x2_odd", "max", r(2, 2, 7, 9), (2, 2), (2, 2))
    case("max_2x2_ceil_odd", "max", r(2, 2, 7, 9), (2, 2), (2, 2), ceil_mode=True)
    case("max_ties", "max", ties, (2, 2), (2, 2))
    case("max_ties_overlap", "max", ties.clone(), (3, 3), (1, 1), padding=(1, 1))
    case("max_nan", "max", nan, (2, 2), (2, 2))
    case("max_nan_general", "max", nan.clone(), (3, 3), (2, 2), padding=(1, 1))
    case("max_3x3_s2_p1", "max", r(2, 2, 9, 9), (3, 3), (2, 2), padding=(1, 1))
    case("max_ceil", "max", r(1, 2, 10, 10), (3, 3), (2, 2), ceil_mode=True)
    case("max_ceil_pad", "max", r(1, 2, 6, 6), (3, 3), (3, 3), padding=(1, 1), ceil_mode=True)
    case("max_dilated", "max", r(1, 2, 9, 10), (2, 3), (1, 2), dilation=(2, 2), padding=(1, 1))
    case("max_non_square", "max", r(2, 1, 7, 8), (3, 2), (2, 1))
    case("max_unbatched", "max", r(3, 6, 6), (2, 2), (2, 2))
    case("max_negative_inf", "max", torch.full((1, 1, 4, 4), -float("inf")), (2, 2), (1, 1))
    case("avg_2x2", "avg", r(2, 3, 8, 8), (2, 2), (2, 2))
    case("avg_pad_include", "avg", r(1, 2, 7, 7), (3, 3), (2, 2), padding=(1, 1))
    case("avg_pad_exclude", "avg", r(1, 2, 7, 7), (3, 3), (2, 2), padding=(1, 1),
         count_include_pad=False)
    case("avg_ceil", "avg", r(1, 2, 8, 8), (3, 3), (2, 2), ceil_mode=True)
    case("avg_ceil_pad_exclude", "avg", r(1, 2, 6, 7), (3, 2), (2, 2), padding=(1, 1),
         ceil_mode=True, count_include_pad=False)
    case("avg_ceil_pad_include", "avg", r(1, 2, 6, 7), (3, 2), (2, 2), padding=(1, 1),
         ceil_mode=True)
    case("avg_divisor", "avg", r(2, 2, 6, 6), (3, 3), (1, 1), padding=(1, 1), divisor_override=5)
    case("avg_unbatched", "avg", r(2, 5, 6), (2, 3), (2, 2))
    write("pool.safetensors", store, cases)


def gen_norm():
    store, cases = {}, []

    def bn(name, shape, training, affine=True, running=True, momentum=0.1, eps=1e-5):
        c = shape[1]
        inputs = {"x": leaf(shape)}
        inputs["x"].data = inputs["x"].data * 2.0 + 0.5
        if affine:
            inputs["weight"] = leaf([c])
            inputs["bias"] = leaf([c])
        rm = torch.randn(c) * 0.1 if running else None
        rv = torch.rand(c) + 0.5 if running else None
        extra = {}
        if running:
            extra = {"running_mean": rm.clone(), "running_var": rv.clone()}
        out = F.batch_norm(inputs["x"], rm, rv, inputs.get("weight"), inputs.get("bias"),
                           training, momentum, eps)
        if running:
            extra["running_mean_after"] = rm
            extra["running_var_after"] = rv
        record(store, name, inputs, out, extra)
        cases.append({"name": name, "op": "batch_norm", "training": training, "affine": affine,
                      "running": running, "momentum": momentum, "eps": eps})

    def ln(name, shape, normalized, affine=True, eps=1e-5):
        inputs = {"x": leaf(shape)}
        inputs["x"].data = inputs["x"].data * 3.0 - 1.0
        if affine:
            inputs["weight"] = leaf(normalized)
            inputs["bias"] = leaf(normalized)
        out = F.layer_norm(inputs["x"], normalized, inputs.get("weight"), inputs.get("bias"),
                           eps)
        record(store, name, inputs, out)
        cases.append({"name": name, "op": "layer_norm", "normalized_shape": list(normalized),
                      "affine": affine, "eps": eps})

    bn("bn_train_4d", [4, 3, 5, 6], True)
    bn("bn_train_2d", [8, 5], True, momentum=0.3)
    bn("bn_train_3d_no_affine", [4, 3, 7], True, affine=False)
    bn("bn_train_no_running", [6, 4], True, running=False, eps=1e-3)
    bn("bn_eval_4d", [3, 3, 4, 4], False)
    bn("bn_eval_2d_no_affine", [5, 4], False, affine=False)
    ln("ln_last", [4, 10], [10])
    ln("ln_two_dims", [2, 3, 4, 5], [4, 5])
    ln("ln_no_affine", [3, 7], [7], affine=False)
    ln("ln_all_dims", [2, 6], [2, 6], eps=1e-3)
    write("norm.safetensors", store, cases)


def gen_dropout():
    store, cases = {}, []

    def case(name, shape, p, seed):
        torch.manual_seed(seed)
        x = torch.randn(*shape).requires_grad_()
        torch.manual_seed(seed + 1)
        out = F.dropout(x, p, training=True)
        record(store, name, {"x": x}, out)
        cases.append({"name": name, "p": p, "seed": seed + 1})

    case("dropout_half", [4, 5], 0.5, 10)
    case("dropout_small", [3, 7], 0.2, 20)
    case("dropout_large", [64, 33], 0.7, 30)
    case("dropout_4d", [2, 3, 4, 5], 0.3, 40)
    write("dropout.safetensors", store, cases)


if __name__ == "__main__":
    torch.manual_seed(1234)
    gen_linalg()
    gen_conv()
    gen_pool()
    gen_norm()
    gen_dropout()
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {OUT} ({total} bytes)")
