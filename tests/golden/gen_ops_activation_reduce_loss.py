"""Golden data for activations, softmax, reductions and losses, from real PyTorch 1.13.

Run with /usr/bin/python3 from anywhere; writes tests/golden/ops_arl/{activation,reduce,loss}
.safetensors. Each file's metadata "cases" is a JSON list of the cases it holds, with the
arguments of each; tests/engine/tst_activation.cpp, tst_reduce.cpp and tst_loss.cpp build their
data tables from it. A case `name` stores its inputs (`name.x`, `name.target`, `name.weight`),
the output `name.out` (plus `name.indices` for max), an upstream gradient `name.grad_out` and the
input gradients `name.grad` (and `name.grad_target` for mse_loss). "transpose": true means the
op ran on x.transpose(0, -1) (a strided view) and the gradient is that of the stored x.
"""

import json
import os

import torch
import torch.nn.functional as F

from goldenlib import save_file

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ops_arl")
DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64,
          "int32": torch.int32, "uint8": torch.uint8, "bool": torch.bool}


class Store:
    def __init__(self, seed):
        self.g = torch.Generator().manual_seed(seed)
        self.tensors = {}
        self.cases = []

    def randn(self, shape, dtype=torch.float32):
        return torch.randn(shape, generator=self.g, dtype=torch.float64).to(dtype)

    def run(self, case, inputs, fn, grad_inputs=("x",)):
        """inputs: name -> tensor; fn(**leaves) -> output or (output, indices)."""
        name = case["name"]
        leaves = {}
        for key, t in inputs.items():
            self.tensors[f"{name}.{key}"] = t
            leaf = t.clone()
            if key in grad_inputs and t.is_floating_point():
                leaf.requires_grad_(True)
            leaves[key] = leaf
        result = fn(**leaves)
        out, indices = result if isinstance(result, tuple) else (result, None)
        self.tensors[f"{name}.out"] = out.detach().contiguous()
        if indices is not None:
            self.tensors[f"{name}.indices"] = indices.contiguous()
        if out.requires_grad:
            gout = self.randn(out.shape, out.dtype)
            out.backward(gout)
            self.tensors[f"{name}.grad_out"] = gout
            for key in grad_inputs:
                if key in leaves and leaves[key].grad is not None:
                    suffix = "grad" if key == "x" else f"grad_{key}"
                    self.tensors[f"{name}.{suffix}"] = leaves[key].grad
        self.cases.append(case)

    def save(self, filename):
        os.makedirs(OUT, exist_ok=True)
        save_file(self.tensors, os.path.join(OUT, filename),
                  metadata={"cases": json.dumps(self.cases)})


def maybe_t(x, transpose):
    return x.transpose(0, -1) if transpose else x


def with_specials(x):
    """NaN, +inf and -inf in the first row, zero in the second, where PyTorch defines them."""
    x = x.clone()
    flat = x.view(-1)
    if flat.numel() >= 5:
        flat[0], flat[1], flat[2], flat[3] = float("nan"), float("inf"), -float("inf"), 0.0
    return x


def activation_cases():
    s = Store(101)
    pointwise = {
        "relu": lambda x: F.relu(x),
        "sigmoid": lambda x: torch.sigmoid(x),
        "tanh": lambda x: torch.tanh(x),
        "gelu_none": lambda x: F.gelu(x, approximate="none"),
        "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    }
    shapes = [[7], [3, 4], [2, 3, 5], []]
    for op, fn in pointwise.items():
        for i, shape in enumerate(shapes):
            for dtype in ["float32", "float64"]:
                x = s.randn(shape, DTYPES[dtype]) * 3
                s.run({"name": f"{op}.{i}.{dtype}", "op": op, "transpose": False}, {"x": x}, fn)
        x = s.randn([4, 6]) * 3
        s.run({"name": f"{op}.strided", "op": op, "transpose": True}, {"x": x},
              lambda x, fn=fn: fn(maybe_t(x, True)))
        s.run({"name": f"{op}.specials", "op": op, "transpose": False},
              {"x": with_specials(s.randn([2, 5]) * 3)}, fn)
        big = torch.tensor([-100.0, -30.0, -12.0, 12.0, 30.0, 100.0])
        s.run({"name": f"{op}.large", "op": op, "transpose": False}, {"x": big}, fn)

    for op, fn in [("softmax", F.softmax), ("log_softmax", F.log_softmax)]:
        for i, (shape, dim) in enumerate([([5], 0), ([3, 4], 1), ([3, 4], 0), ([3, 4], -1),
                                          ([2, 3, 4], 1), ([2, 3, 4], -3), ([2, 3, 4], 2),
                                          ([], 0), ([3, 0], 1), ([4, 1], 1)]):
            for dtype in ["float32", "float64"]:
                x = s.randn(shape, DTYPES[dtype]) * 4
                s.run({"name": f"{op}.{i}.{dtype}", "op": op, "dim": dim, "transpose": False},
                      {"x": x}, lambda x, fn=fn, dim=dim: fn(x, dim))
        for dim in [0, 1, 2]:
            x = s.randn([3, 4, 5]) * 4
            s.run({"name": f"{op}.strided.{dim}", "op": op, "dim": dim, "transpose": True},
                  {"x": x}, lambda x, fn=fn, dim=dim: fn(maybe_t(x, True), dim))
        # Huge logits stay finite thanks to the max subtraction; -inf entries get probability 0;
        # a row with NaN is NaN; an all -inf row is NaN.
        x = torch.tensor([[1000.0, 999.0, -1000.0, 0.5], [-float("inf"), 1.0, 2.0, -float("inf")],
                          [1.0, float("nan"), 2.0, 3.0], [-float("inf")] * 4])
        s.run({"name": f"{op}.specials", "op": op, "dim": 1, "transpose": False}, {"x": x},
              lambda x, fn=fn: fn(x, 1))
    s.save("activation.safetensors")


def reduce_cases():
    s = Store(202)
    i = 0
    for op, fn in [("sum", torch.sum), ("mean", torch.mean)]:
        for shape, dims, keepdim, transpose in [
                ([3, 4], None, False, False), ([2, 3, 4], None, False, True),
                ([], None, False, False), ([3, 4], [0], False, False),
                ([3, 4], [1], True, False), ([3, 4], [-1], False, True),
                ([2, 3, 4], [0, 2], False, False), ([2, 3, 4], [2, 0], True, False),
                ([2, 3, 4], [1], False, False), ([2, 3, 4], [-2, -1], True, True),
                ([2, 3, 4], [], False, False), ([2, 3, 4], [], True, False),
                ([5, 1, 3], [1], False, False), ([], [0], True, False), ([0, 3], [0], False, False),
                ([0, 3], None, False, False), ([2, 1030], [1], False, False),
                ([300, 3], [0], False, False), ([2, 3, 4, 5], [0, 3], True, False)]:
            for dtype in ["float32", "float64"]:
                x = s.randn(shape, DTYPES[dtype])
                case = {"name": f"{op}.{i}.{dtype}", "op": op, "dims": dims, "keepdim": keepdim,
                        "transpose": transpose}
                if dims is None:
                    s.run(case, {"x": x}, lambda x, fn=fn, t=transpose: fn(maybe_t(x, t)))
                else:
                    s.run(case, {"x": x}, lambda x, fn=fn, d=dims, k=keepdim, t=transpose:
                          fn(maybe_t(x, t), d, keepdim=k))
            i += 1
    # Integer and bool sums give int64.
    for j, (dtype, dims) in enumerate([("int64", None), ("int32", [1]), ("uint8", [0]),
                                       ("bool", None), ("bool", [1]), ("int32", None)]):
        x = torch.randint(0, 200, (4, 3), generator=s.g).to(DTYPES[dtype])
        case = {"name": f"sum_int.{j}", "op": "sum", "dims": dims, "keepdim": False,
                "transpose": False}
        s.run(case, {"x": x}, lambda x, d=dims: x.sum() if d is None else x.sum(d))
    s.run({"name": "sum.specials", "op": "sum", "dims": [1], "keepdim": False,
           "transpose": False}, {"x": with_specials(s.randn([3, 5]))}, lambda x: x.sum(1))
    s.run({"name": "mean.specials", "op": "mean", "dims": [1], "keepdim": False,
           "transpose": False}, {"x": with_specials(s.randn([3, 5]))}, lambda x: x.mean(1))

    # max over everything: ties split the gradient evenly; NaN is the maximum.
    for j, x in enumerate([s.randn([3, 4]), torch.tensor([1.0, 3.0, 3.0, 2.0, 3.0]),
                           torch.tensor([1.0, float("nan"), 3.0, float("nan")]),
                           torch.tensor(2.5), torch.tensor([-float("inf"), -5.0]),
                           s.randn([2, 3, 4], torch.float64)]):
        s.run({"name": f"max_all.{j}", "op": "max_all", "transpose": False}, {"x": x}, lambda x: torch.max(x))
    s.run({"name": "max_all.strided", "op": "max_all", "transpose": True},
          {"x": s.randn([4, 5])}, lambda x: torch.max(maybe_t(x, True)))
    s.run({"name": "max_all.int", "op": "max_all", "transpose": False},
          {"x": torch.tensor([[3, -7, 12], [12, 0, 5]])}, lambda x: torch.max(x))

    # max(dim): first index on ties, NaN wins.
    ties = torch.tensor([[1.0, 4.0, 4.0, 2.0], [5.0, 5.0, 5.0, 5.0], [0.0, 1.0, float("nan"), 9.0]])
    for j, (x, dim, keepdim, transpose) in enumerate([
            (s.randn([3, 4]), 1, False, False), (s.randn([3, 4]), 0, True, False),
            (s.randn([2, 3, 4]), -2, False, False), (s.randn([2, 3, 4]), 0, True, True),
            (ties, 1, False, False), (ties, 0, False, False), (torch.tensor(4.0), 0, False, False),
            (torch.tensor(4.0), -1, True, False), (s.randn([5], torch.float64), 0, True, False),
            (torch.tensor([[3, 9, 9], [4, 1, 4]], dtype=torch.int32), 1, False, False)]):
        case = {"name": f"max_dim.{j}", "op": "max_dim", "dim": dim, "keepdim": keepdim,
                "transpose": transpose}
        s.run(case, {"x": x}, lambda x, d=dim, k=keepdim, t=transpose:
              tuple(torch.max(maybe_t(x, t), d, keepdim=k)))

    for j, (x, dim, keepdim, transpose) in enumerate([
            (s.randn([3, 4]), None, False, False), (s.randn([3, 4]), None, True, False),
            (s.randn([3, 4]), 1, False, False), (s.randn([3, 4]), 0, True, True),
            (ties, 1, False, False), (ties, None, False, False),
            (torch.tensor([1.0, float("nan"), 3.0, float("nan")]), None, False, False),
            (torch.tensor(7.0), None, False, False), (torch.tensor(7.0), 0, True, False),
            (torch.tensor([[3, 9, 9], [4, 1, 4]]), 1, True, False),
            (s.randn([2, 3, 4]), -1, False, True)]):
        case = {"name": f"argmax.{j}", "op": "argmax", "dim": dim, "keepdim": keepdim,
                "transpose": transpose}
        s.run(case, {"x": x}, lambda x, d=dim, k=keepdim, t=transpose:
              torch.argmax(maybe_t(x, t), d, keepdim=k))

    # sum_to is Tensor.sum_to_size in PyTorch.
    for j, (shape, to) in enumerate([([2, 3, 4], [3, 4]), ([2, 3, 4], [3, 1]), ([2, 3, 4], [1]),
                                     ([2, 3, 4], [2, 1, 4]), ([2, 3, 4], []), ([3, 4], [3, 4]),
                                     ([64, 10], [10]), ([5, 1, 3], [1, 1])]):
        case = {"name": f"sum_to.{j}", "op": "sum_to", "shape": to, "transpose": False}
        s.run(case, {"x": s.randn(shape)},
              lambda x, to=to: x.sum_to_size(to) if to else x.sum())
    s.save("reduce.safetensors")


def targets(s, shape, classes, ignore=None, fraction=0.3):
    t = torch.randint(0, classes, shape, generator=s.g)
    if ignore is not None and t.numel() > 1:
        mask = torch.rand(shape, generator=s.g) < fraction
        t[mask] = ignore
    return t


def loss_cases():
    s = Store(303)
    layouts = [([6, 5], [6]), ([5], []), ([3, 4, 2], [3, 2]), ([2, 3, 3, 2], [2, 3, 2]),
               ([2, 3, 2, 2, 2], [2, 2, 2, 2]), ([0, 4], [0])]
    i = 0
    for op in ["nll_loss", "cross_entropy"]:
        smoothings = [0.0] if op == "nll_loss" else [0.0, 0.1, 0.35]
        for in_shape, t_shape in layouts:
            classes = in_shape[0] if len(in_shape) == 1 else in_shape[1]
            for reduction in ["mean", "sum", "none"]:
                for weighted in [False, True]:
                    for ignore_index in [-100, 1]:
                        for smoothing in smoothings:
                            dtype = "float64" if i % 4 == 3 else "float32"
                            x = s.randn(in_shape, DTYPES[dtype]) * 2
                            t = targets(s, t_shape, classes,
                                        ignore=ignore_index if ignore_index != 1 else None)
                            inputs = {"x": x, "target": t}
                            kwargs = {"reduction": reduction, "ignore_index": ignore_index}
                            if weighted:
                                inputs["weight"] = torch.rand(classes, generator=s.g).to(
                                    DTYPES[dtype]) + 0.2
                            if smoothing:
                                kwargs["label_smoothing"] = smoothing
                            case = {"name": f"{op}.{i}", "op": op, "reduction": reduction,
                                    "ignore_index": ignore_index, "label_smoothing": smoothing}
                            fn = getattr(F, op)
                            s.run(case, inputs, lambda x, target, weight=None, fn=fn, kw=kwargs:
                                  fn(x, target, weight=weight, **kw))
                            i += 1
    # Every target ignored: the mean is NaN in 1.13 (0 / 0), the gradient zero.
    for op, smoothing in [("nll_loss", 0.0), ("cross_entropy", 0.0), ("cross_entropy", 0.2)]:
        for weighted in [False, True]:
            x = s.randn([3, 4])
            inputs = {"x": x, "target": torch.full([3], -100)}
            if weighted:
                inputs["weight"] = torch.rand(4, generator=s.g) + 0.2
            kwargs = {"label_smoothing": smoothing} if smoothing else {}
            case = {"name": f"{op}.ignored.{i}", "op": op, "reduction": "mean",
                    "ignore_index": -100, "label_smoothing": smoothing}
            s.run(case, inputs, lambda x, target, weight=None, fn=getattr(F, op), kw=kwargs:
                  fn(x, target, weight=weight, **kw))
            i += 1
    # Logits that need the max subtraction, and -inf logits.
    x = torch.tensor([[1000.0, 0.0, -1000.0], [3.0, -float("inf"), 1.0], [50.0, 60.0, 70.0]])
    for smoothing in [0.0, 0.1]:
        case = {"name": f"cross_entropy.extreme.{i}", "op": "cross_entropy", "reduction": "mean",
                "ignore_index": -100, "label_smoothing": smoothing}
        s.run(case, {"x": x, "target": torch.tensor([1, 0, 2])},
              lambda x, target, sm=smoothing: F.cross_entropy(x, target, label_smoothing=sm))
        i += 1
    # Probability targets (same shape as the input).
    for in_shape in [[4, 5], [5], [2, 3, 2]]:
        class_dim = 0 if len(in_shape) == 1 else 1
        classes = in_shape[class_dim]
        for reduction in ["mean", "sum", "none"]:
            for weighted in [False, True]:
                for smoothing in [0.0, 0.25]:
                    x = s.randn(in_shape) * 2
                    p = torch.softmax(s.randn(in_shape), class_dim)
                    inputs = {"x": x, "target": p}
                    if weighted:
                        inputs["weight"] = torch.rand(classes, generator=s.g) + 0.2
                    case = {"name": f"cross_entropy.prob.{i}", "op": "cross_entropy",
                            "reduction": reduction, "ignore_index": -100,
                            "label_smoothing": smoothing}
                    s.run(case, inputs, lambda x, target, weight=None, r=reduction, sm=smoothing:
                          F.cross_entropy(x, target, weight=weight, reduction=r,
                                          label_smoothing=sm), grad_inputs=("x", "target"))
                    i += 1
    # mse_loss, including a broadcast target (PyTorch warns and broadcasts).
    for in_shape, t_shape in [([4, 3], [4, 3]), ([7], [7]), ([], []), ([2, 3, 4], [2, 3, 4]),
                              ([3, 4], [3, 1]), ([0, 2], [0, 2])]:
        for reduction in ["mean", "sum", "none"]:
            dtype = "float64" if i % 3 == 0 else "float32"
            inputs = {"x": s.randn(in_shape, DTYPES[dtype]),
                      "target": s.randn(t_shape, DTYPES[dtype])}
            case = {"name": f"mse_loss.{i}", "op": "mse_loss", "reduction": reduction}
            s.run(case, inputs, lambda x, target, r=reduction: F.mse_loss(x, target, reduction=r),
                  grad_inputs=("x", "target"))
            i += 1
    s.save("loss.safetensors")


if __name__ == "__main__":
    import warnings

    warnings.simplefilter("ignore")
    activation_cases()
    reduce_cases()
    loss_cases()
