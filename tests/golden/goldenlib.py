"""Minimal safetensors writer/reader for golden files (python3-safetensors is not installed).

Layout: u64 little-endian header length N, N bytes of JSON padded with spaces to a multiple of
8, then the tensors' bytes back to back, in the order the dict gives them.
Run this file directly for a round-trip self-check.
"""

import json
import struct

import torch

_DTYPE_TO_TAG = {
    torch.float64: "F64",
    torch.float32: "F32",
    torch.float16: "F16",
    torch.bfloat16: "BF16",
    torch.int64: "I64",
    torch.int32: "I32",
    torch.int16: "I16",
    torch.int8: "I8",
    torch.uint8: "U8",
    torch.bool: "BOOL",
}
_TAG_TO_DTYPE = {tag: dtype for dtype, tag in _DTYPE_TO_TAG.items()}


def _tensor_bytes(t: torch.Tensor) -> bytes:
    flat = t.detach().cpu().contiguous().reshape(-1)
    if flat.dtype == torch.bool:
        flat = flat.to(torch.uint8)  # one byte per element, 0 or 1, as safetensors stores BOOL
    # Reinterpreting as bytes keeps NaN payloads and 16-bit formats numpy cannot hold.
    return flat.view(torch.uint8).numpy().tobytes()


def save_file(tensors, path, metadata=None):
    header = {}
    if metadata:
        for key, value in metadata.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise TypeError(f"metadata must map str to str, got {key!r}: {value!r}")
        header["__metadata__"] = dict(metadata)
    chunks = []
    offset = 0
    for name, t in tensors.items():
        if not isinstance(t, torch.Tensor):
            raise TypeError(f"{name}: expected a torch.Tensor, got {type(t).__name__}")
        if t.dtype not in _DTYPE_TO_TAG:
            raise TypeError(f"{name}: dtype {t.dtype} has no safetensors tag")
        data = _tensor_bytes(t)
        header[name] = {
            "dtype": _DTYPE_TO_TAG[t.dtype],
            "shape": list(t.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in chunks:
            f.write(data)


def load_file(path):
    """Returns (dict name -> tensor in file offset order, metadata dict)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    buffer = raw[8 + n :]
    out = {}
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        begin, end = info["data_offsets"]
        dtype = _TAG_TO_DTYPE[info["dtype"]]
        stored = torch.uint8 if dtype == torch.bool else dtype
        if end > begin:
            t = torch.frombuffer(bytearray(buffer[begin:end]), dtype=torch.uint8).view(stored)
        else:
            t = torch.empty(0, dtype=stored)
        out[name] = t.to(dtype).reshape(info["shape"]).clone()
    return out, metadata


if __name__ == "__main__":
    import os
    import tempfile

    torch.manual_seed(0)
    src = {
        "f64": torch.randn(2, 3, dtype=torch.float64),
        "f32": torch.tensor([1.5, float("nan"), float("inf"), -0.0]),
        "f16": torch.randn(3).half(),
        "bf16": torch.randn(2, 2).bfloat16(),
        "i64": torch.tensor([-(2**62), 2**62]),
        "i32": torch.tensor([-5, 7], dtype=torch.int32),
        "i16": torch.tensor([[-300]], dtype=torch.int16),
        "i8": torch.tensor([-128, 127], dtype=torch.int8),
        "u8": torch.tensor([0, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
        "scalar": torch.tensor(3.25),
        "empty": torch.zeros(2, 0, 3),
        "strided": torch.arange(12.0).reshape(3, 4).t(),
    }
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "x.safetensors")
        save_file(src, p, {"k": "v"})
        back, meta = load_file(p)
        assert meta == {"k": "v"}
        assert list(back) == list(src)
        for name, t in src.items():
            b = back[name]
            assert b.dtype == t.dtype and b.shape == t.shape, name
            assert _tensor_bytes(b) == _tensor_bytes(t), name
        with open(p, "rb") as f:
            (n,) = struct.unpack("<Q", f.read(8))
        assert n % 8 == 0
    print("goldenlib self-check ok")
