"""Golden data for view/shape ops, cat/stack and indexing ops, from real PyTorch 1.13.

Run with /usr/bin/python3 from anywhere; writes tests/golden/ops_shape_index/*.safetensors.
Every case `key` stores its inputs `key.in<i>`, the output `key.out`, an upstream gradient
`key.grad_out` and the gradient of every floating input `key.grad<i>`. View cases also store
the strides and storage offset PyTorch reports and whether the output shares the input's
storage. errors.safetensors holds PyTorch's error messages as metadata. The case keys and
arguments are mirrored by tests/engine/tst_views.cpp and tst_index.cpp.
"""

import os

import torch
import torch.nn.functional as F

from goldenlib import save_file

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ops_shape_index")
BIG = 2**62  # "to the end" for slices


def run(store, g, key, inputs, fn, view=False):
    leaves = [t.clone().requires_grad_(t.is_floating_point()) for t in inputs]
    out = fn(*leaves)
    for i, t in enumerate(inputs):
        store[f"{key}.in{i}"] = t
    store[f"{key}.out"] = out.detach().contiguous()
    if view:
        store[f"{key}.strides"] = torch.tensor(out.stride(), dtype=torch.int64)
        store[f"{key}.offset"] = torch.tensor(out.storage_offset(), dtype=torch.int64)
        shares = out.storage().data_ptr() == leaves[0].storage().data_ptr()
        store[f"{key}.shares"] = torch.tensor(shares)
    if out.requires_grad:
        gout = torch.randn(out.shape, generator=g, dtype=out.dtype)
        out.backward(gout)
        store[f"{key}.grad_out"] = gout
        for i, leaf in enumerate(leaves):
            if leaf.grad is not None:
                store[f"{key}.grad{i}"] = leaf.grad


def rand(g, *shape, dtype=torch.float32):
    return torch.randn(shape, generator=g, dtype=dtype)


def view_cases():
    g = torch.Generator().manual_seed(21)
    s = {}
    cases = [
        ("view_2x6", (3, 4), lambda x: x.view(2, 6)),
        ("view_infer", (3, 4), lambda x: x.view(-1, 2)),
        ("view_0dim_up", (), lambda x: x.view(1, 1)),
        ("view_to_0dim", (1, 1), lambda x: x.view(())),
        ("view_split_transposed", (4, 3, 2), lambda x: x.transpose(0, 1).view(3, 2, 2, 2)),
        ("view_merge_slice", (2, 3, 4), lambda x: x[:, 1:3].view(2, 8)),
        ("view_empty", (0, 3), lambda x: x.view(3, 0)),
        ("reshape_copy", (3, 4), lambda x: x.t().reshape(12)),
        ("reshape_view", (2, 3, 4), lambda x: x.permute(1, 0, 2).reshape(3, 2, 2, 2)),
        ("reshape_infer", (2, 3, 4), lambda x: x.reshape(4, -1)),
        ("flatten_all", (2, 3, 4), lambda x: x.flatten()),
        ("flatten_mid", (2, 3, 4, 5), lambda x: x.flatten(1, 2)),
        ("flatten_copy", (2, 3, 4), lambda x: x.transpose(0, 2).flatten()),
        ("flatten_0dim", (), lambda x: x.flatten()),
        ("transpose", (2, 3, 4), lambda x: x.transpose(0, 2)),
        ("transpose_neg", (2, 3, 4), lambda x: x.transpose(-1, -2)),
        ("t", (3, 4), lambda x: x.t()),
        ("permute", (2, 3, 4), lambda x: x.permute(2, 0, 1)),
        ("permute_neg", (2, 3, 4), lambda x: x.permute(-1, 0, 1)),
        ("squeeze_all", (1, 3, 1, 2), lambda x: x.squeeze()),
        ("squeeze_dim", (1, 3, 1, 2), lambda x: x.squeeze(2)),
        ("squeeze_noop", (1, 3, 1, 2), lambda x: x.squeeze(1)),
        ("squeeze_neg", (1, 3, 1, 2), lambda x: x.squeeze(-2)),
        ("unsqueeze_front", (2, 3), lambda x: x.unsqueeze(0)),
        ("unsqueeze_mid", (2, 3), lambda x: x.unsqueeze(1)),
        ("unsqueeze_end", (2, 3), lambda x: x.unsqueeze(-1)),
        ("unsqueeze_transposed", (2, 3), lambda x: x.t().unsqueeze(1)),
        ("unsqueeze_0dim", (), lambda x: x.unsqueeze(0)),
        ("narrow", (4, 5), lambda x: x.narrow(1, 1, 3)),
        ("narrow_neg_start", (4, 5), lambda x: x.narrow(0, -2, 2)),
        ("narrow_empty", (4, 5), lambda x: x.narrow(0, 4, 0)),
        ("select", (3, 4, 5), lambda x: x.select(1, 2)),
        ("select_neg", (3, 4, 5), lambda x: x.select(-1, -1)),
        ("select_to_0dim", (4,), lambda x: x.select(0, 3)),
        ("slice_step", (6, 4), lambda x: x[1:5:2]),
        ("slice_neg", (6, 4), lambda x: x[:, -3:]),
        ("slice_clamp", (6, 4), lambda x: x[2:100]),
        ("slice_empty", (6, 4), lambda x: x[4:2]),
        ("slice_of_slice", (6, 4), lambda x: x[1:, ::2][:, 1:]),
        ("expand_rows", (1, 4), lambda x: x.expand(3, 4)),
        ("expand_new_dims", (3, 1), lambda x: x.expand(2, 3, 5)),
        ("expand_keep", (3, 1), lambda x: x.expand(-1, 4)),
        ("expand_0dim", (), lambda x: x.expand(2, 3)),
        ("expand_new_ones", (3,), lambda x: x.expand(1, 1, 3)),
        ("expand_same", (2, 3), lambda x: x.expand(2, 3)),
        ("chain", (2, 3, 4),
         lambda x: x.permute(2, 0, 1)[1:].unsqueeze(0).expand(2, 3, 2, 3).select(3, 1)),
    ]
    for key, shape, fn in cases:
        run(s, g, key, [rand(g, *shape)], fn, view=True)
    save_file(s, os.path.join(OUT, "views.safetensors"))


def cat_cases():
    g = torch.Generator().manual_seed(22)
    s = {}
    run(s, g, "cat0", [rand(g, 2, 3), rand(g, 1, 3), rand(g, 4, 3)], lambda a, b, c: torch.cat([a, b, c]))
    run(s, g, "cat1", [rand(g, 2, 3), rand(g, 2, 1)], lambda a, b: torch.cat([a, b], 1))
    run(s, g, "cat_neg", [rand(g, 2, 3, 2), rand(g, 2, 3, 3)], lambda a, b: torch.cat([a, b], -1))
    run(s, g, "cat_mid", [rand(g, 2, 3, 2), rand(g, 2, 1, 2)], lambda a, b: torch.cat([a, b], 1))
    run(s, g, "cat_transposed", [rand(g, 3, 2), rand(g, 2, 2)], lambda a, b: torch.cat([a.t(), b], 1))
    run(s, g, "cat_legacy_empty", [rand(g, 2, 3), rand(g, 0)], lambda a, b: torch.cat([a, b]))
    run(s, g, "cat_zero_rows", [rand(g, 2, 3), rand(g, 0, 3)], lambda a, b: torch.cat([a, b]))
    run(s, g, "cat_promote", [torch.tensor([[1, 2]]), rand(g, 1, 2)], lambda a, b: torch.cat([a, b]))
    run(s, g, "cat_int", [torch.tensor([1, 2], dtype=torch.int32), torch.tensor([3], dtype=torch.uint8)],
        lambda a, b: torch.cat([a, b]))
    run(s, g, "cat_f64", [rand(g, 2, dtype=torch.float64), rand(g, 3)], lambda a, b: torch.cat([a, b]))
    run(s, g, "stack0", [rand(g, 2, 3), rand(g, 2, 3)], lambda a, b: torch.stack([a, b]))
    run(s, g, "stack_last", [rand(g, 2, 3), rand(g, 2, 3), rand(g, 2, 3)],
        lambda a, b, c: torch.stack([a, b, c], -1))
    run(s, g, "stack_mid", [rand(g, 2, 3), rand(g, 2, 3)], lambda a, b: torch.stack([a, b], 1))
    run(s, g, "stack_0dim", [rand(g), rand(g)], lambda a, b: torch.stack([a, b]))
    save_file(s, os.path.join(OUT, "cat.safetensors"))


def index_cases():
    g = torch.Generator().manual_seed(23)
    s = {}
    i64 = lambda *v: torch.tensor(v, dtype=torch.int64)
    x53 = rand(g, 5, 3)
    run(s, g, "is_dim0", [x53, i64(4, 0, 0, 2)], lambda x, i: x.index_select(0, i))
    run(s, g, "is_dim1", [x53, i64(2, 0)], lambda x, i: x.index_select(1, i))
    run(s, g, "is_neg_dim", [rand(g, 2, 3, 4), i64(3, 3, 1)], lambda x, i: x.index_select(-1, i))
    run(s, g, "is_mid", [rand(g, 2, 3, 4), i64(2, 0, 1, 2)], lambda x, i: x.index_select(1, i))
    run(s, g, "is_transposed0", [rand(g, 4, 3), i64(2, 1)], lambda x, i: x.t().index_select(0, i))
    run(s, g, "is_transposed1", [rand(g, 4, 3), i64(3, 0)], lambda x, i: x.t().index_select(1, i))
    run(s, g, "is_empty", [x53, i64()], lambda x, i: x.index_select(0, i))
    run(s, g, "is_scalar_index", [x53, torch.tensor(2)], lambda x, i: x.index_select(0, i))
    run(s, g, "is_int32", [x53, torch.tensor([1, 3], dtype=torch.int32)], lambda x, i: x.index_select(0, i))
    run(s, g, "is_int64_values", [torch.arange(12).reshape(4, 3), i64(3, 1)], lambda x, i: x.index_select(0, i))

    x34 = rand(g, 3, 4)
    run(s, g, "gather0", [x34, torch.tensor([[0, 1, 2, 0], [2, 2, 1, 0]])], lambda x, i: x.gather(0, i))
    run(s, g, "gather1", [x34, torch.tensor([[3, 0], [1, 1], [2, 3]])], lambda x, i: x.gather(1, i))
    run(s, g, "gather_smaller", [x34, torch.tensor([[1, 1], [0, 2]])], lambda x, i: x.gather(1, i))
    run(s, g, "gather_3d", [rand(g, 2, 3, 4), torch.randint(0, 3, (2, 5, 3), generator=g)],
        lambda x, i: x.gather(1, i))
    run(s, g, "gather_neg_dim", [x34, torch.tensor([[3], [0], [3]])], lambda x, i: x.gather(-1, i))
    run(s, g, "gather_transposed", [x34, torch.tensor([[2, 0, 1], [1, 1, 1]])],
        lambda x, i: x.t().gather(1, i))

    run(s, g, "scatter_add0", [x34, torch.tensor([[0, 1, 2, 0], [0, 2, 1, 0]]), rand(g, 2, 4)],
        lambda x, i, src: x.scatter_add(0, i, src))
    run(s, g, "scatter_add1", [x34, torch.tensor([[3, 3], [1, 0], [2, 2]]), rand(g, 3, 2)],
        lambda x, i, src: x.scatter_add(1, i, src))
    # PyTorch 1.13's own backward fails for a src larger than index (shape check in the
    # engine), so only x's gradient is taken here; tst_index checks src's by finite differences.
    run(s, g, "scatter_add_big_src", [x34, torch.tensor([[1, 1], [0, 1]]), rand(g, 3, 5)],
        lambda x, i, src: x.scatter_add(1, i, src.detach()))
    run(s, g, "scatter_add_long_dim", [x34, torch.tensor([[0], [0], [2], [0], [1]]), rand(g, 5, 1)],
        lambda x, i, src: x.scatter_add(0, i, src))
    save_file(s, os.path.join(OUT, "index.safetensors"))


def embedding_cases():
    g = torch.Generator().manual_seed(24)
    s = {}
    w = rand(g, 6, 3)
    run(s, g, "emb_1d", [w, torch.tensor([4, 0, 4, 5])], lambda w, i: F.embedding(i, w))
    run(s, g, "emb_2d", [w, torch.tensor([[1, 2, 1], [0, 5, 2]])], lambda w, i: F.embedding(i, w))
    run(s, g, "emb_0dim", [w, torch.tensor(3)], lambda w, i: F.embedding(i, w))
    run(s, g, "emb_padding", [w, torch.tensor([[2, 1], [2, 2], [0, 1]])],
        lambda w, i: F.embedding(i, w, padding_idx=2))
    run(s, g, "emb_padding_neg", [w, torch.tensor([5, 1, 5, 3])], lambda w, i: F.embedding(i, w, padding_idx=-1))
    run(s, g, "emb_int32", [w, torch.tensor([1, 1, 3], dtype=torch.int32)], lambda w, i: F.embedding(i, w))

    w = rand(g, 7, 4)
    inp = torch.tensor([1, 2, 6, 0, 1, 3, 3])
    off = torch.tensor([0, 2, 2, 5])
    for mode in ["sum", "mean", "max"]:
        run(s, g, f"bag_{mode}", [w, inp, off], lambda w, i, o: F.embedding_bag(i, w, o, mode=mode))
        # The last offset ends the input: PyTorch 1.13 mis-sizes the last mean bag (and corrupts
        # its heap for max) when indices follow it; tst_index checks that case from first
        # principles.
        run(s, g, f"bag_{mode}_last", [w, inp, torch.tensor([0, 3, 3, 7])],
            lambda w, i, o: F.embedding_bag(i, w, o, mode=mode, include_last_offset=True))
        run(s, g, f"bag_{mode}_2d", [w, torch.tensor([[1, 2, 2, 0], [6, 5, 4, 6], [3, 3, 3, 1]])],
            lambda w, i: F.embedding_bag(i, w, mode=mode))
        run(s, g, f"bag_{mode}_padding", [w, torch.tensor([1, 1, 2, 1, 4, 0, 1]), off],
            lambda w, i, o: F.embedding_bag(i, w, o, mode=mode, padding_idx=1))
        run(s, g, f"bag_{mode}_padding_neg", [w, torch.tensor([6, 2, 6, 3])],
            lambda w, i: F.embedding_bag(i.view(2, 2), w, mode=mode, padding_idx=-1))
    run(s, g, "bag_psw", [w, inp, off, rand(g, 7)],
        lambda w, i, o, p: F.embedding_bag(i, w, o, mode="sum", per_sample_weights=p))
    run(s, g, "bag_psw_2d", [w, torch.tensor([[1, 2, 0], [4, 4, 5]]), rand(g, 2, 3)],
        lambda w, i, p: F.embedding_bag(i, w, mode="sum", per_sample_weights=p))
    run(s, g, "bag_psw_padding", [w, inp, off, rand(g, 7)],
        lambda w, i, o, p: F.embedding_bag(i, w, o, mode="sum", per_sample_weights=p, padding_idx=3))
    run(s, g, "bag_int32", [w, inp.int(), off.int()], lambda w, i, o: F.embedding_bag(i, w, o))
    run(s, g, "bag_trailing_empty", [w, torch.tensor([1, 2]), torch.tensor([0, 2, 2])],
        lambda w, i, o: F.embedding_bag(i, w, o, mode="mean"))
    save_file(s, os.path.join(OUT, "embedding.safetensors"))


def error_cases():
    """PyTorch's message for each failing call (the part our message must contain)."""
    x23 = torch.zeros(2, 3)
    x53 = torch.zeros(5, 3)
    after = lambda marker: (lambda m: m[m.index(marker) + len(marker):])
    cases = {
        "view_invalid": (lambda: torch.zeros(4, 4).view(3, 5), None),
        "view_two_inferred": (lambda: torch.zeros(4, 4).view(-1, -1), None),
        "view_negative": (lambda: torch.zeros(4, 4).view(-2, 8), None),
        "view_zero_ambiguous": (lambda: torch.zeros(0, 4).view(0, -1), None),
        "view_strides": (lambda: torch.zeros(4, 4).t().view(16), None),
        "reshape_invalid": (lambda: x23.reshape(4, 2), None),
        "permute_length": (lambda: x23.permute(0, 1, 2), after("permute(sparse_coo): ")),
        "permute_duplicate": (lambda: x23.permute(0, 0), None),
        "transpose_range": (lambda: x23.transpose(0, 2), after("Dimension out of range ")),
        "squeeze_range": (lambda: x23.squeeze(2), after("Dimension out of range ")),
        "unsqueeze_range": (lambda: x23.unsqueeze(3), after("Dimension out of range ")),
        "flatten_order": (lambda: x23.flatten(1, 0), None),
        "expand_fewer": (lambda: x23.expand(2), after("size=[2]): ")),
        "expand_mismatch": (lambda: x23.expand(2, 4), None),
        "expand_leading_minus1": (lambda: torch.zeros(3).expand(-1, 3), None),
        "narrow_exceeds": (lambda: x23.narrow(0, 1, 2), None),
        "narrow_negative_length": (lambda: x23.narrow(0, 0, -1), None),
        "narrow_start_range": (lambda: x23.narrow(0, 3, 0), after("Dimension out of range ")),
        "narrow_0dim": (lambda: torch.tensor(1.0).narrow(0, 0, 1), None),
        "select_range": (lambda: x23.select(1, 3), None),
        "select_range_neg": (lambda: x23.select(1, -4), None),
        "select_0dim": (lambda: torch.tensor(1.0).select(0, 0), None),
        "cat_empty": (lambda: torch.cat([]), None),
        "cat_sizes": (lambda: torch.cat([x23, torch.zeros(3, 3)], 1), lambda m: m[:-1]),
        "cat_ndim": (lambda: torch.cat([x23, torch.zeros(2, 3, 1)]), None),
        "cat_0dim": (lambda: torch.cat([torch.tensor(1.0), torch.tensor(2.0)]), None),
        "cat_dim_range": (lambda: torch.cat([x23, x23], 2), after("Dimension out of range ")),
        "stack_empty": (lambda: torch.stack([]), None),
        "stack_sizes": (lambda: torch.stack([x23, torch.zeros(2, 4)]), None),
        "index_select_bounds": (lambda: x53.index_select(0, torch.tensor([7])), None),
        "index_select_matrix": (lambda: x53.index_select(0, torch.tensor([[1]])), None),
        "gather_bounds": (lambda: x53.gather(0, torch.tensor([[7]])), None),
        "gather_negative": (lambda: x53.gather(0, torch.tensor([[-1]])), None),
        "gather_ndim": (lambda: x53.gather(0, torch.tensor([7])), None),
        "gather_size": (lambda: x53.gather(0, torch.tensor([[1, 1, 1, 1]])), None),
        "scatter_add_bounds": (lambda: x53.scatter_add(0, torch.tensor([[7]]), torch.ones(1, 1)), None),
        "scatter_add_size": (lambda: x53.scatter_add(0, torch.tensor([[1, 1]]), torch.ones(1, 1)), None),
        "embedding_2d": (lambda: F.embedding(torch.tensor([1]), x53[0]), None),
        "embedding_padding": (lambda: F.embedding(torch.tensor([1]), x53, padding_idx=5), None),
        "bag_offsets0": (lambda: F.embedding_bag(torch.tensor([1, 2]), x53, torch.tensor([1])), None),
        "bag_offsets_last": (lambda: F.embedding_bag(torch.tensor([1, 2]), x53, torch.tensor([0, 3])), None),
        "bag_psw_mode": (lambda: F.embedding_bag(torch.tensor([1, 2]), x53, torch.tensor([0, 1]),
                                                 mode="mean", per_sample_weights=torch.ones(2)),
                         lambda m: m[m.index("per_sample_weights is only"):m.index(". Please")]),
        "bag_mode": (lambda: F.embedding_bag(torch.tensor([1, 2]), x53, torch.tensor([0, 1]), mode="foo"), None),
        "bag_last_offset": (lambda: F.embedding_bag(torch.tensor([1, 2]), x53, torch.tensor([], dtype=torch.long),
                                                    include_last_offset=True), None),
        "bag_padding": (lambda: F.embedding_bag(torch.tensor([1, 2]), x53, torch.tensor([0]), padding_idx=9), None),
    }
    metadata = {}
    for key, (fn, extract) in cases.items():
        try:
            fn()
        except Exception as error:  # noqa: BLE001 - any failure is the data we want
            message = str(error).split("\n")[0]
            metadata[key] = extract(message) if extract else message
        else:
            raise AssertionError(f"{key} did not fail")
    save_file({"dummy": torch.zeros(1)}, os.path.join(OUT, "errors.safetensors"), metadata)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    view_cases()
    cat_cases()
    index_cases()
    embedding_cases()
    error_cases()
