"""Proof that PyTorch 1.13 reads the .pt files nnscope writes: tst_pytorch_writer checks that
nnscope still writes saved.pt exactly so, and compares our reading with PyTorch's.

Run: /usr/bin/python3 tests/golden/gen_saved_by_nnscope.py [--cli build/dev/src/nnscope-cli]
  1. writes saved_by_nnscope/input.pt with torch.save: every dtype nnscope has, a storage shared
     by a tensor, its transpose (non-contiguous) and a row (storage offset), NaN/inf/-0.0, a 0-dim
     and an empty tensor;
  2. runs `nnscope-cli convert input.pt saved.pt`;
  3. torch.load(saved.pt, weights_only=True), checks that it equals the input exactly (names and
     order, dtypes, shapes, strides, offsets, values bit for bit, storage sharing) and writes what
     PyTorch read as saved_by_nnscope/torch_read.safetensors, with metadata per tensor:
       "stride:<name>" "3,1"   "offset:<name>" "6"   "storage:<name>" index of its storage
       "requires_grad:<name>" "0"   and "container": the loaded object's type.

`--read FILE.pt OUT.safetensors` does step 3 alone for any file (tst_pytorch_writer uses it to
check a freshly written file when torch is installed).
"""

import argparse
import collections
import os
import subprocess
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from goldenlib import save_file  # noqa: E402

OUT = os.path.join(HERE, "saved_by_nnscope")


def make_input():
    torch.manual_seed(0)
    sd = collections.OrderedDict()
    base = torch.randn(4, 6)
    base[0, 0] = float("nan")
    base[0, 1] = float("inf")
    base[0, 2] = -0.0
    sd["shared.base"] = base
    sd["shared.transposed"] = base.t()
    sd["shared.row"] = base[2]
    sd["float64"] = torch.randn(3, dtype=torch.float64)
    sd["float16"] = torch.randn(2, 3).half()
    sd["bfloat16"] = torch.randn(2, 3).bfloat16()
    sd["int8"] = torch.tensor([-128, 0, 127], dtype=torch.int8)
    sd["int16"] = torch.tensor([-32768, 7, 32767], dtype=torch.int16)
    sd["int32"] = torch.tensor([-(2**31), 5, 2**31 - 1], dtype=torch.int32)
    sd["int64"] = torch.tensor([-(2**63), 1, 2**63 - 1], dtype=torch.int64)
    sd["uint8"] = torch.tensor([0, 200, 255], dtype=torch.uint8)
    sd["bool"] = torch.tensor([True, False, True])
    sd["scalar"] = torch.tensor(3.5)
    sd["empty"] = torch.zeros(0, 3)
    sd["layer.0.weight"] = torch.randn(5, 4)
    sd["layer.0.num_batches_tracked"] = torch.tensor(100000)
    return sd


def storage_key(t):
    s = t.storage()
    return (s.data_ptr(), s.nbytes()) if s.data_ptr() != 0 else ("empty", id(t))


def describe(sd):
    tensors = collections.OrderedDict()
    meta = {"container": f"{type(sd).__module__}.{type(sd).__name__}"}
    storages = {}
    for name, t in sd.items():
        tensors[name] = t
        index = storages.setdefault(storage_key(t), len(storages))
        meta["stride:" + name] = ",".join(str(s) for s in t.stride())
        meta["offset:" + name] = str(t.storage_offset())
        meta["storage:" + name] = str(index)
        meta["requires_grad:" + name] = str(int(t.requires_grad))
    return tensors, meta


def read_with_torch(path, out):
    sd = torch.load(path, weights_only=True)
    tensors, meta = describe(sd)
    save_file(tensors, out, meta)
    return sd


def same_bits(a, b):
    if a.dtype == torch.bool:
        return torch.equal(a, b)
    return torch.equal(a.reshape(-1).contiguous().view(torch.uint8),
                       b.reshape(-1).contiguous().view(torch.uint8))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", default=os.environ.get(
        "NNSCOPE_CLI", os.path.join(HERE, "..", "..", "build", "dev", "src", "nnscope-cli")))
    parser.add_argument("--read", nargs=2, metavar=("PT", "OUT"))
    args = parser.parse_args()
    if args.read:
        read_with_torch(*args.read)
        return

    os.makedirs(OUT, exist_ok=True)
    source = os.path.join(OUT, "input.pt")
    saved = os.path.join(OUT, "saved.pt")
    sd = make_input()
    torch.save(sd, source)
    if os.path.exists(saved):
        os.remove(saved)
    subprocess.run([args.cli, "convert", source, saved], check=True)
    loaded = read_with_torch(saved, os.path.join(OUT, "torch_read.safetensors"))

    assert type(loaded) is collections.OrderedDict, type(loaded)
    assert list(loaded) == list(sd), (list(loaded), list(sd))
    for name, expected in sd.items():
        got = loaded[name]
        assert got.dtype == expected.dtype, name
        assert got.shape == expected.shape, name
        assert got.stride() == expected.stride(), name
        assert got.storage_offset() == expected.storage_offset(), name
        assert not got.requires_grad, name
        assert same_bits(got, expected), name
    assert describe(loaded)[1] == describe(sd)[1], "storage sharing differs"
    print("PyTorch", torch.__version__, "read", saved, "identically:", len(loaded), "tensors")


if __name__ == "__main__":
    main()
