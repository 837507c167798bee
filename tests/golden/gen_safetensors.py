"""Golden files for tst_safetensors: every dtype, edge shapes, metadata, and the reference bytes of
a small file so the C++ writer can be compared byte for byte.

Run: /usr/bin/python3 tests/golden/gen_safetensors.py (writes tests/golden/safetensors/).
The integer and float literals below are repeated in tst_safetensors.cpp; values that depend on
PyTorch's conversions (float16/bfloat16 decoding, narrowing to float32) are stored beside the
tensors as "<name>_as_f64" / "<name>_as_f32", computed by PyTorch.
"""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenlib import load_file, save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "safetensors")
INF = float("inf")
NAN = float("nan")

# Awkward float values: signed zero, infinities, NaN, subnormals, extremes, rounding cases.
FLOATS = [1.5, -0.0, INF, -INF, NAN, 1e-45, 1e-300, 3.4028234663852886e38, 65504.0, 65520.0,
          6e-8, 1.0 / 3.0, -2.5, 0.1, 1e-5, 3.0e4]


def dtypes():
    g = torch.Generator().manual_seed(0)
    t = {
        "f64": torch.tensor(FLOATS, dtype=torch.float64),
        "f32": torch.tensor(FLOATS, dtype=torch.float64).float(),
        "f16": torch.tensor(FLOATS, dtype=torch.float64).half(),
        "bf16": torch.tensor(FLOATS, dtype=torch.float64).bfloat16(),
        "i64": torch.tensor([-(2**63), 2**63 - 1, 0, -1, 123456789012345, 2**53 + 1]),
        "i32": torch.tensor([-(2**31), 2**31 - 1, 0, -7], dtype=torch.int32),
        "i16": torch.tensor([-(2**15), 2**15 - 1, 0, 300], dtype=torch.int16),
        "i8": torch.tensor([-128, 127, 0, -1], dtype=torch.int8),
        "u8": torch.tensor([0, 255, 1, 128], dtype=torch.uint8),
        "bool": torch.tensor([True, False, False, True, True]),
        "randn_f32": torch.randn(4, 5, generator=g),
    }
    # What PyTorch makes of the narrow formats, for exact checks of our decoding and to_float32.
    t["f32_as_f64"] = t["f32"].double()
    t["f16_as_f64"] = t["f16"].double()
    t["bf16_as_f64"] = t["bf16"].double()
    t["randn_f32_as_f64"] = t["randn_f32"].double()
    t["f64_as_f32"] = t["f64"].float()
    t["f16_as_f32"] = t["f16"].float()
    t["bf16_as_f32"] = t["bf16"].float()
    t["i64_as_f32"] = t["i64"].float()
    meta = {
        "generator": "gen_safetensors.py",
        "torch": torch.__version__,
        "unicode": "ünïcödé ✓",
        "empty": "",
    }
    return t, meta


def shapes():
    t = {
        "scalar_f32": torch.tensor(3.25),
        "scalar_bool": torch.tensor(True),
        "scalar_i64": torch.tensor(-42),
        "empty_2x0x3": torch.zeros(2, 0, 3),
        "empty_0_i64": torch.zeros(0, dtype=torch.int64),
        # Written from a transposed (non-contiguous) view: the file holds it row-major.
        "transposed_4x3": torch.arange(12.0).reshape(3, 4).t(),
        "four_d": torch.arange(2 * 3 * 1 * 2, dtype=torch.int32).reshape(2, 3, 1, 2),
    }
    return t, {}


def reference():
    """Small file whose exact bytes the C++ writer must reproduce (same tensors, same order)."""
    t = {
        "weight": torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4,
        "bias": torch.tensor([-1.0, 0.5], dtype=torch.float64),
        "mask": torch.tensor([True, False, True]),
        "idx": torch.tensor([[7]], dtype=torch.int64),
        "half": torch.tensor([1.0, -2.0, 0.5], dtype=torch.float16),
    }
    return t, {"format": "pt", "note": "ünïcode"}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, make in [("dtypes", dtypes), ("shapes", shapes), ("reference", reference)]:
        tensors, meta = make()
        path = os.path.join(OUT, name + ".safetensors")
        save_file(tensors, path, meta or None)
        back, back_meta = load_file(path)
        assert list(back) == list(tensors) and back_meta == meta, name
        print(f"{path}: {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
