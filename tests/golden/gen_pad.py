"""Golden data for F.pad's modes and Conv2d's padding_mode, from PyTorch 1.13.

Run: /usr/bin/python3 tests/golden/gen_pad.py   (writes tests/golden/pad/*.safetensors)

pad.safetensors: F.pad cases (metadata "cases": name, mode, pad, value, transpose) with the
input "x", output "out", a random upstream gradient "gy" and "grad_x"; metadata "errors" lists
inputs F.pad refuses (shape, dtype, pad, mode, value) with PyTorch's message.
conv.safetensors: nn.Conv2d and nn.Conv1d cases (metadata "cases": the constructor's arguments and the
module's repr) with "x",
"weight", "bias", "out", "gy" and the gradients "grad_x", "grad_weight", "grad_bias"; metadata
"errors" lists Conv2d forwards PyTorch refuses, with the message.
"""

import json
import math
import os
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenlib import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pad")
MODES = ["constant", "reflect", "replicate", "circular"]


def write(filename, store, metadata):
    os.makedirs(OUT, exist_ok=True)
    save_file(store, os.path.join(OUT, filename), {k: json.dumps(v) for k, v in metadata.items()})


def message(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - every refusal is recorded with its text
        return str(e).split("\n")[0]
    raise AssertionError("expected an error")


def gen_pad():
    store, cases, errors = {}, [], []

    def case(name, mode, shape, pad, value=None, transpose=False, dtype=torch.float32):
        base = torch.randn(*shape, dtype=torch.float64).to(dtype)
        x = base.transpose(0, -1) if transpose else base
        x = x.detach().requires_grad_()
        out = F.pad(x, pad, mode=mode, value=value)
        gy = torch.randn(out.shape, dtype=torch.float64).to(dtype)
        out.backward(gy)
        store[f"{name}.x"] = base
        store[f"{name}.out"] = out.detach().clone()
        store[f"{name}.gy"] = gy
        store[f"{name}.grad_x"] = (x.grad.transpose(0, -1) if transpose else x.grad).clone()
        cases.append({"name": name, "mode": mode, "pad": list(pad), "value": value,
                      "transpose": transpose})

    for mode in MODES:
        m = mode[:4]
        case(f"{m}_1d", mode, [2, 3, 6], (2, 3))
        case(f"{m}_1d_unbatched", mode if mode != "circular" else "constant", [3, 5], (1, 4))
        case(f"{m}_1d_max", mode, [1, 2, 4], (3, 3) if mode != "replicate" else (7, 9))
        case(f"{m}_2d", mode, [2, 3, 5, 6], (1, 2, 3, 1))
        case(f"{m}_2d_odd", mode, [1, 2, 7, 3], (2, 0, 0, 4))
        case(f"{m}_2d_cropping", mode, [2, 1, 6, 5], (-1, 2, 3, -2))
        case(f"{m}_2d_cropping_left", mode, [1, 2, 5, 5], (2, -1, -2, 1))
        case(f"{m}_2d_size_minus_one", mode, [1, 1, 4, 3], (2, 2, 3, 3))
        case(f"{m}_2d_strided", mode, [4, 3, 5, 2], (1, 1, 2, 1), transpose=True)
        case(f"{m}_3d", mode, [1, 2, 3, 4, 5], (1, 2, 0, 1, 2, 1))
        case(f"{m}_2d_float64", mode, [1, 2, 4, 5], (2, 1, 1, 3), dtype=torch.float64)
    case("cons_2d_unbatched", "constant", [2, 4, 5], (1, 2, 2, 1))
    case("refl_2d_unbatched", "reflect", [2, 4, 5], (1, 2, 2, 1))
    case("repl_2d_unbatched", "replicate", [2, 4, 5], (1, 2, 2, 1))
    case("cons_value", "constant", [2, 3, 4], (1, 1, 2, 0), value=-2.5)
    case("cons_all_dims", "constant", [2, 3], (1, 2, 2, 1))
    case("cons_1d_tensor", "constant", [5], (2, -1))
    case("cons_only_cropping", "constant", [2, 6], (-1, -2))
    case("cons_empty_pad", "constant", [2, 3], ())

    def error(shape, pad, mode, value=None, dtype=torch.float32):
        x = torch.zeros(*shape, dtype=dtype)
        errors.append({"shape": list(shape), "dtype": str(dtype).replace("torch.", ""),
                       "pad": list(pad), "mode": mode, "value": value,
                       "message": message(lambda: F.pad(x, pad, mode=mode, value=value))})

    for mode in MODES:
        error([1, 1, 4, 4], (1, 1, 1), mode)
        error([1, 5], (1, 2, 1, 1, 1, 1), mode)
    for mode in MODES[1:]:
        error([1, 1, 4, 4], (1, 1), mode, value=1.0)
        error([5], (1, 2), mode)
        error([4, 5], (1, 2, 1, 1), mode)
        error([1, 1, 1, 4, 5], (1, 2, 1, 1), mode)
    error([1, 1, 4, 4], (1, 1), "wrap")
    # reflect: pads at the input's size or beyond, per dim; too small outputs.
    error([1, 1, 2, 2], (3, 3, 3, 3), "reflect")
    error([1, 1, 3, 5], (0, 0, 3, 0), "reflect")
    error([1, 3, 5], (1, 5, 0, 0), "reflect")
    error([1, 1, 3], (3, 0), "reflect")
    error([1, 3], (0, 3), "reflect")
    error([1, 1, 3, 5, 5], (0, 0, 0, 0, 0, 3), "reflect")
    error([1, 1, 3, 3, 3], (0, 3, 0, 3, 0, 3), "reflect")
    error([1, 1, 3], (-2, -1), "reflect")
    error([1, 1, 3, 3], (-2, -2, -2, -2), "reflect")
    error([1, 1, 3, 3], (0, 0, -2, -2), "reflect")
    error([1, 1, 3, 3, 3], (-2, -1, -2, -1, -2, -1), "reflect")
    error([1, 1, 3, 3, 3], (0, 0, 0, 0, -2, -2), "reflect")
    error([1, 0, 3], (1, 1), "reflect")
    error([1, 0, 4, 5], (1, 1, 1, 1), "reflect")
    error([1, 1, 0, 5], (1, 1, 1, 1), "reflect")
    error([0, 3, 3, 3], (1, 1, 1, 1, 1, 1), "reflect")
    error([1, 1, 3, 3], (1, 1, 1, 1), "reflect", dtype=torch.int64)
    error([1, 1, 3], (1, 1), "reflect", dtype=torch.float16)
    error([1, 1, 3, 3, 3], (1, 1, 1, 1, 1, 1), "reflect", dtype=torch.uint8)
    # replicate
    error([1, 1, 3], (-2, -2), "replicate")
    error([1, 1, 3, 3], (-2, -2, -2, -2), "replicate")
    error([1, 1, 3, 3], (-2, -2, 0, 0), "replicate")
    error([1, 1, 3, 3, 3], (-2, -2, -2, -2, -2, -2), "replicate")
    error([0, 3], (1, 1), "replicate")
    error([1, 0, 3, 3], (1, 1, 1, 1), "replicate")
    error([0, 3, 3, 3], (1, 1, 1, 1, 1, 1), "replicate")
    error([1, 1, 3, 3], (1, 1, 1, 1), "replicate", dtype=torch.bool)
    error([1, 1, 3], (1, 1), "replicate", dtype=torch.int32)
    # circular
    error([1, 1, 2, 2], (3, 3, 3, 3), "circular")
    error([1, 3], (1, 1), "circular")
    error([2, 3, 3], (1, 1, 1, 1), "circular")
    error([1, 1, 3, 3], (0, 0, -2, -2), "circular")
    error([1, 1, 3], (3, -2), "circular")
    error([1, 1, 3], (-2, 2), "circular")
    # constant: narrow's messages, then constant_pad_nd's own.
    error([1, 1, 3], (-2, -2), "constant")
    error([1, 1, 3], (2, -5), "constant")
    error([2, 3, 3], (1, 1, -2, -1), "constant")
    write("pad.safetensors", store, {"cases": cases, "errors": errors})


def gen_conv():
    store, cases, errors = {}, [], []

    def case(name, in_ch, out_ch, kernel, x_shape, cls=nn.Conv2d, **kw):
        conv = cls(in_ch, out_ch, kernel, **kw)
        with torch.no_grad():
            conv.weight.copy_(torch.randn(conv.weight.shape) / math.sqrt(conv.weight[0].numel()))
        x = torch.randn(*x_shape).requires_grad_()
        out = conv(x)
        channels = out.shape[-3] if cls is nn.Conv2d else out.shape[-2]
        gy = torch.randn(out.shape) / math.sqrt(out.numel() / channels)
        out.backward(gy)
        store[f"{name}.x"] = x.detach().clone()
        store[f"{name}.weight"] = conv.weight.detach().clone()
        store[f"{name}.out"] = out.detach().clone()
        store[f"{name}.gy"] = gy
        store[f"{name}.grad_x"] = x.grad.clone()
        store[f"{name}.grad_weight"] = conv.weight.grad.clone()
        if conv.bias is not None:
            store[f"{name}.bias"] = conv.bias.detach().clone()
            store[f"{name}.grad_bias"] = conv.bias.grad.clone()
        args = {"in_channels": in_ch, "out_channels": out_ch, "kernel_size": kernel, **kw}
        cases.append({"name": name, "type": cls.__name__, "args": args, "repr": repr(conv)})

    for mode in ["zeros", "reflect", "replicate", "circular"]:
        m = mode[:4]
        case(f"{m}_basic", 2, 3, 3, [2, 2, 6, 7], padding=1, padding_mode=mode)
        case(f"{m}_stride_dilation", 3, 4, (3, 2), [1, 3, 9, 8], stride=(2, 1),
             padding=(2, 1), dilation=(2, 3), padding_mode=mode)
        case(f"{m}_groups", 4, 6, 3, [2, 4, 5, 7], padding=(1, 2), groups=2, bias=False,
             padding_mode=mode)
        case(f"{m}_depthwise_odd", 3, 3, (5, 3), [1, 3, 7, 5], padding=(2, 1), groups=3,
             stride=(1, 2), padding_mode=mode)
        case(f"{m}_same", 2, 3, (4, 3), [2, 2, 6, 5], padding="same", padding_mode=mode)
        case(f"{m}_same_dilated", 2, 2, (2, 3), [1, 2, 7, 6], padding="same", dilation=(3, 2),
             padding_mode=mode)
        case(f"{m}_valid", 2, 2, 3, [1, 2, 5, 5], padding="valid", padding_mode=mode)
        size_minus_one = 3 if mode != "circular" else 4
        case(f"{m}_size_minus_one", 1, 2, 3, [1, 1, 4, 4], padding=size_minus_one,
             padding_mode=mode)
        case(f"{m}_asymmetric", 2, 2, (1, 3), [2, 2, 3, 6], padding=(2, 1), padding_mode=mode)
        if mode != "circular":
            case(f"{m}_unbatched", 2, 3, 3, [2, 5, 6], padding=1, padding_mode=mode)

    def error(x_shape, kernel, cls=nn.Conv2d, **kw):
        channels = x_shape[-3] if cls is nn.Conv2d else x_shape[-2]
        conv = cls(channels, 1, kernel, **kw)
        x = torch.zeros(*x_shape)
        errors.append({"x_shape": list(x_shape), "type": cls.__name__,
                       "args": {"in_channels": channels, "out_channels": 1,
                                "kernel_size": kernel, **kw},
                       "message": message(lambda: conv(x))})

    error([1, 1, 2, 2], 3, padding=3, padding_mode="reflect")
    error([1, 1, 2, 5], 3, padding=2, padding_mode="reflect")
    error([1, 1, 2, 2], 3, padding=3, padding_mode="circular")
    error([2, 3, 3], 3, padding=1, padding_mode="circular")
    error([1, 1, 3, 3], 5, padding=-1, padding_mode="replicate")
    error([1, 1, 2, 2], 5, padding="same", padding_mode="reflect")

    # Conv1d, drawn after everything above so that its values stay.
    for mode in ["zeros", "reflect", "replicate", "circular"]:
        m = mode[:4]
        c1 = nn.Conv1d
        case(f"{m}_1d_basic", 2, 3, 3, [2, 2, 7], cls=c1, padding=1, padding_mode=mode)
        case(f"{m}_1d_stride_dilation_groups", 4, 2, 3, [1, 4, 11], cls=c1, stride=2, padding=2,
             dilation=2, groups=2, padding_mode=mode)
        case(f"{m}_1d_same", 2, 2, 4, [2, 2, 6], cls=c1, padding="same", padding_mode=mode)
        case(f"{m}_1d_size_minus_one", 1, 2, 2, [1, 1, 3], cls=c1,
             padding=2 if mode != "circular" else 3, bias=False, padding_mode=mode)
        if mode != "circular":
            case(f"{m}_1d_unbatched", 2, 3, 3, [2, 5], cls=c1, padding=1, padding_mode=mode)
    error([1, 1, 2], 3, cls=nn.Conv1d, padding=2, padding_mode="reflect")
    error([2, 4], 3, cls=nn.Conv1d, padding=1, padding_mode="circular")
    error([1, 2, 2, 2], 1, cls=nn.Conv1d)
    write("conv.safetensors", store, {"cases": cases, "errors": errors})


if __name__ == "__main__":
    warnings.filterwarnings("ignore", "Using padding='same'")
    torch.manual_seed(1713)
    gen_pad()
    gen_conv()
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {OUT} ({total} bytes)")
