"""Golden data for the rules of index_select, gather and embedding, from real PyTorch 1.13.

Run with /usr/bin/python3 from anywhere; writes tests/golden/index_rules/*.safetensors.
cases.safetensors: every case `key` stores its inputs `key.in<i>`, the output `key.out`, an
upstream gradient `key.grad_out` and the gradient of every floating input `key.grad<i>` (the
layout of gen_ops_shape_index.py), for repeated and edge indices, negative dims, 1-3-D inputs,
empty and int32 indices. errors.safetensors holds, as metadata, PyTorch's whole message for each
refused call (`key`) and the Python exception it raised (`key.type`). The keys and arguments are
mirrored by tests/engine/tst_index_rules.cpp and tests/workflows/tst_index_trace.cpp.
"""

import os

import torch
import torch.nn.functional as F

from goldenlib import save_file
from gen_ops_shape_index import run

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "index_rules")


def i64(*values):
    return torch.tensor(values, dtype=torch.int64)


def cases():
    g = torch.Generator().manual_seed(17)
    r = lambda *shape: torch.randn(*shape, generator=g)
    s = {}
    x1, x2, x3 = r(5), r(3, 4), r(2, 3, 4)
    sel = lambda d: (lambda x, i: torch.index_select(x, d, i))
    run(s, g, "is_1d_repeat", [x1, i64(4, 0, 4, 4, 2)], sel(0))
    run(s, g, "is_1d_edges", [x1, i64(0, 4)], sel(0))
    run(s, g, "is_2d_dim0_repeat", [x2, i64(2, 2, 0)], sel(0))
    run(s, g, "is_2d_neg_dim", [x2, i64(3, 0, 3)], sel(-1))
    run(s, g, "is_3d_dim0", [x3, i64(1, 1)], sel(-3))
    run(s, g, "is_3d_dim1", [x3, i64(2, 0, 2, 1)], sel(1))
    run(s, g, "is_3d_dim2", [x3, i64(0, 3, 3)], sel(2))
    run(s, g, "is_empty", [x2, i64()], sel(1))
    run(s, g, "is_int32", [x3, torch.tensor([3, 3, 0], dtype=torch.int32)], sel(2))
    run(s, g, "is_0d_index", [x1, torch.tensor(3)], sel(0))
    run(s, g, "is_scalar", [torch.tensor(1.5), i64(0)], sel(0))
    gat = lambda d: (lambda x, i: torch.gather(x, d, i))
    run(s, g, "g_1d_repeat", [x1, i64(4, 4, 0, 2, 4, 4, 4)], gat(0))
    run(s, g, "g_2d_dim0_repeat", [x2, torch.tensor([[0, 2, 2], [2, 2, 1], [0, 0, 0], [1, 2, 2]])], gat(0))
    run(s, g, "g_2d_dim1_edges", [x2, torch.tensor([[0, 3, 3, 0], [3, 3, 3, 3]])], gat(1))
    run(s, g, "g_2d_neg_dim", [x2, torch.tensor([[2, 0], [2, 2]])], gat(-2))
    run(s, g, "g_3d_dim0", [x3, torch.randint(0, 2, (3, 2, 4), generator=g)], gat(0))
    run(s, g, "g_3d_dim1", [x3, torch.randint(0, 3, (2, 5, 2), generator=g)], gat(1))
    run(s, g, "g_3d_dim2", [x3, torch.randint(0, 4, (1, 3, 6), generator=g)], gat(-1))
    run(s, g, "g_empty", [x2, torch.zeros(0, 4, dtype=torch.int64)], gat(0))
    run(s, g, "g_0d_index", [x1, torch.tensor(4)], gat(0))
    run(s, g, "g_scalar", [torch.tensor(1.5), torch.tensor(0)], gat(0))
    run(s, g, "g_scalar_1d", [torch.tensor(1.5), i64(0, 0)], gat(0))
    w = r(5, 3)
    emb = lambda **kw: (lambda w, i: F.embedding(i, w, **kw))
    run(s, g, "emb_repeat", [w, torch.tensor([[4, 4, 0], [1, 4, 4]])], emb())
    run(s, g, "emb_edges", [w, i64(0, 4)], emb())
    run(s, g, "emb_3d", [w, torch.tensor([[[1, 2], [2, 2]], [[0, 4], [3, 3]]])], emb())
    run(s, g, "emb_empty", [w, i64()], emb())
    run(s, g, "emb_int32", [w, torch.tensor([3, 3, 1], dtype=torch.int32)], emb())
    run(s, g, "emb_padding_repeat", [w, i64(4, 1, 4, 0, 4)], emb(padding_idx=4))
    save_file(s, os.path.join(OUT, "cases.safetensors"))


def errors():
    x1, x2, x3 = torch.zeros(3), torch.zeros(3, 4), torch.zeros(3, 4, 5)
    s0, w = torch.tensor(1.0), torch.zeros(3, 2)
    L = lambda v: torch.tensor(v, dtype=torch.int64)
    sel = torch.index_select
    calls = {
        "is_oob_dim0": lambda: sel(x2, 0, L([5])),
        "is_neg_dim0": lambda: sel(x2, 0, L([-1])),
        "is_oob_1d": lambda: sel(x1, 0, L([3])),
        "is_oob_dim1": lambda: sel(x2, 1, L([0, 5, 4])),
        "is_neg_dim1_3d": lambda: sel(x3, -2, L([-1])),
        "is_oob_dim2": lambda: sel(x3, 2, L([5])),
        "is_oob_scalar": lambda: sel(s0, 0, L([1])),
        "is_empty_axis": lambda: sel(torch.zeros(0, 3), 0, L([0])),
        "is_empty_self_dim1": lambda: sel(torch.zeros(0, 3), 1, L([5])),
        "is_int16": lambda: sel(x2, 0, L([0]).short()),
        "is_float": lambda: sel(x2, 0, torch.tensor([1.0])),
        "is_bool": lambda: sel(x2, 0, torch.tensor([True])),
        "is_matrix": lambda: sel(x2, 0, L([[1]])),
        "is_dim": lambda: sel(x2, 2, L([0])),
        "is_dim_neg": lambda: sel(x2, -3, L([0])),
        "is_dim_first": lambda: sel(x2, 5, torch.zeros(1, 1)),
        "g_oob": lambda: torch.gather(x2, 0, L([[5]])),
        "g_neg": lambda: torch.gather(x2, 0, L([[-1]])),
        "g_oob_dim1": lambda: torch.gather(x2, 1, L([[0, 4]])),
        "g_first_d0": lambda: torch.gather(x2, 0, L([[0, 0, 0, 9], [8, 0, 0, 6]])),
        "g_first_d1": lambda: torch.gather(x2, 1, L([[0, 7, 9, 0], [8, 0, 0, 6]])),
        "g_first_3d_d0": lambda: torch.gather(x3, 0, L([[[0, 0], [0, 7]], [[9, 0], [0, 0]]])),
        "g_first_3d_d1": lambda: torch.gather(x3, 1, L([[[0, 0], [0, 7]], [[9, 0], [0, 0]]])),
        "g_first_3d_d2": lambda: torch.gather(x3, 2, L([[[0, 9], [7, 0]], [[0, 0], [0, 0]]])),
        "g_int32": lambda: torch.gather(x2, 0, L([[1]]).int()),
        "g_float": lambda: torch.gather(x2, 0, torch.tensor([[1.0]])),
        "g_ndim": lambda: torch.gather(x2, 0, L([1])),
        "g_ndim3": lambda: torch.gather(x2, 0, torch.zeros(1, 1, 1, dtype=torch.int64)),
        "g_size": lambda: torch.gather(x2, 0, torch.zeros(1, 5, dtype=torch.int64)),
        "g_size_3d": lambda: torch.gather(x3, 0, torch.zeros(1, 5, 1, dtype=torch.int64)),
        "g_scalar_oob": lambda: torch.gather(s0, 0, torch.tensor(1)),
        "g_dim": lambda: torch.gather(x2, 2, L([[0]])),
        "g_dtype_first": lambda: torch.gather(x2, 0, L([0]).int()),
        "e_oob": lambda: F.embedding(L([3]), w),
        "e_neg": lambda: F.embedding(L([-1]), w),
        "e_float": lambda: F.embedding(torch.tensor([1.0]), w),
        "e_double": lambda: F.embedding(torch.tensor([1.0], dtype=torch.float64), w),
        "e_int16": lambda: F.embedding(L([1]).short(), w),
        "e_uint8": lambda: F.embedding(L([1]).to(torch.uint8), w),
        "e_bool": lambda: F.embedding(torch.tensor([True]), w),
        "e_weight_1d": lambda: F.embedding(L([1]), torch.zeros(3)),
        "e_weight_3d": lambda: F.embedding(L([1]), torch.zeros(3, 2, 2)),
        "e_padding": lambda: F.embedding(L([1]), w, padding_idx=3),
        "e_padding_neg": lambda: F.embedding(L([1]), w, padding_idx=-4),
        "e_padding_first": lambda: F.embedding(torch.tensor([1.0]), torch.zeros(3), padding_idx=5),
        "sa_oob": lambda: x2.scatter_add(0, L([[5]]), torch.ones(1, 1)),
        "sa_size": lambda: x2.scatter_add(0, L([[1, 1]]), torch.ones(1, 1)),
        "sa_int32": lambda: x2.scatter_add(0, L([[1]]).int(), torch.ones(1, 1)),
        "sa_ndim": lambda: x2.scatter_add(0, L([1]), torch.ones(1, 1)),
        "sa_ndim_src": lambda: x2.scatter_add(0, L([[1]]), torch.ones(1)),
        "sa_src_dtype": lambda: x2.scatter_add(0, L([[1]]), torch.ones(1, 1, dtype=torch.float64)),
        "bag_float": lambda: F.embedding_bag(torch.tensor([1.0, 2.0]), w, L([0])),
    }
    metadata = {}
    for key, fn in calls.items():
        try:
            fn()
        except Exception as error:  # noqa: BLE001 - the failure is the data
            metadata[key] = str(error).split("\n")[0]
            metadata[key + ".type"] = type(error).__name__
        else:
            raise AssertionError(f"{key} did not fail")
    save_file({"dummy": torch.zeros(1)}, os.path.join(OUT, "errors.safetensors"), metadata)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    cases()
    errors()
