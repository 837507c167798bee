"""Golden files for tst_generator: PyTorch 1.13's CPU random streams, bit for bit.

Run: /usr/bin/python3 tests/golden/gen_generator.py (writes tests/golden/generator/).

Before writing anything it checks, against real torch, the first-principles models that
src/engine/random.cpp implements (a small MT19937 written here, randint, randperm, uniform,
the scalar normal path, bernoulli_, F.dropout, multinomial); a failed assert means the model
is wrong. The vectorised float32 normal_ path (avx_mathfun polynomials with FMA) is not modelled
here: its values come from torch and only the C++ test checks them.

Each file holds "cases" in its metadata, a JSON list; a case has a seed (a decimal string, as
64-bit seeds do not survive a JSON double) and steps run on one fresh torch.Generator. Step i's
result is stored as "<case>/<i>" and, after all steps, three draws of randint(0, 2^31) as
"<case>/after", which proves that the case consumed exactly as many numbers as PyTorch.
"""

import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenlib import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "generator")
SEEDS = [0, 1, 42, 2**32 + 5, 0xDEADBEEFCAFEBABE]
SIZES = [1, 7, 15, 16, 17, 100, 1000]
DTYPES = {"float32": torch.float32, "float64": torch.float64}


class MT19937:
    """The reference Mersenne Twister, seeded like at::mt19937 (low 32 bits of the seed)."""

    def __init__(self, seed):
        self.mt = [seed & 0xFFFFFFFF]
        for i in range(1, 624):
            prev = self.mt[-1]
            self.mt.append((1812433253 * (prev ^ (prev >> 30)) + i) & 0xFFFFFFFF)
        self.index = 624

    def random(self):
        if self.index >= 624:
            for i in range(624):
                y = (self.mt[i] & 0x80000000) | (self.mt[(i + 1) % 624] & 0x7FFFFFFF)
                self.mt[i] = self.mt[(i + 397) % 624] ^ (y >> 1) ^ (0x9908B0DF if y & 1 else 0)
            self.index = 0
        y = self.mt[self.index]
        self.index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        return y ^ (y >> 18)

    def random64(self):
        hi = self.random()
        return (hi << 32) | self.random()

    def u24(self):
        return (self.random() & (2**24 - 1)) * 2.0**-24

    def u53(self):
        return (self.random64() & (2**53 - 1)) * 2.0**-53


def gen(seed):
    g = torch.Generator()
    g.manual_seed(seed)
    return g


def after(g):
    return torch.randint(0, 2**31, (3,), generator=g)


def as_i64(u):
    """An unsigned 64-bit value stored bit for bit in an int64 tensor."""
    return u - 2**64 if u >= 2**63 else u


def f32(x):
    return float(np.float32(x))


# ---- checks of the models against torch ------------------------------------------------------


def verify_models():
    for seed in SEEDS:
        # random(): randint below 2^32 takes one random() % range. Two ranges recover all bits.
        m = MT19937(seed)
        a = torch.randint(0, 2**31, (1300,), generator=gen(seed)).tolist()
        b = torch.randint(0, 2**32 - 1, (1300,), generator=gen(seed)).tolist()
        raw = [m.random() for _ in range(1300)]
        assert a == [r % 2**31 for r in raw], seed
        assert b == [r % (2**32 - 1) for r in raw], seed
        # random64(): ranges of 2^32 and more take random64() % range.
        m = MT19937(seed)
        a = torch.randint(-(2**63), 2**63 - 1, (300,), generator=gen(seed)).tolist()
        raw = [m.random64() for _ in range(300)]
        assert a == [as_i64((r % (2**64 - 1) + 2**63) % 2**64) for r in raw], seed
        m = MT19937(seed)
        assert torch.randint(-5, 2**32 - 5, (9,), generator=gen(seed)).tolist() == [
            m.random64() % 2**32 - 5 for _ in range(9)]

        g, m = gen(seed), MT19937(seed)
        # rand / uniform_
        assert torch.rand(17, generator=g).tolist() == [f32(m.u24()) for _ in range(17)]
        assert torch.rand(17, generator=g, dtype=torch.float64).tolist() == [
            m.u53() for _ in range(17)]
        lo, hi = np.float32(-0.3), np.float32(0.7)
        got = torch.empty(9).uniform_(-0.3, 0.7, generator=g).tolist()
        assert got == [f32(m.u24() * float(hi - lo) + float(lo)) for _ in range(9)]
        # randperm, small and large n
        for n in list(range(0, 40)) + [1000, 5000]:
            r = list(range(n))
            for i in range(n - 1):
                z = m.random() % (n - i)
                r[i], r[i + z] = r[i + z], r[i]
            assert torch.randperm(n, generator=g).tolist() == r, n
        # scalar normal path (numel < 16): Box-Muller on 53-bit doubles, second value cached
        cache = []

        def normal():
            if cache:
                return cache.pop()
            u1, u2 = m.u53(), m.u53()
            r = math.sqrt(-2.0 * math.log(1.0 - u2))
            cache.append(r * math.sin(2.0 * math.pi * u1))
            return r * math.cos(2.0 * math.pi * u1)

        assert torch.randn(3, generator=g).tolist() == [f32(normal()) for _ in range(3)]
        assert torch.randn(5, generator=g, dtype=torch.float64).tolist() == [
            normal() for _ in range(5)]
        # bernoulli_(p): one random64() per element, u53 < p
        assert torch.empty(50).bernoulli_(0.3, generator=g).tolist() == [
            float(m.u53() < 0.3) for _ in range(50)]
        assert after(g).tolist() == [m.random() % 2**31 for _ in range(3)]

    # F.dropout on CPU: mask = bernoulli_(1 - p); x * (mask / float(1 - p)); nothing for p in {0, 1}
    for seed, p in [(0, 0.5), (7, 0.1), (7, 0.3)]:
        x = torch.randn(4, 25, generator=gen(seed + 1))
        torch.manual_seed(seed)
        m = MT19937(seed)
        y = F.dropout(x, p, training=True)
        q = np.float32(1 - p)
        mask = np.array([float(m.u53() < 1 - p) for _ in range(100)], np.float32).reshape(4, 25)
        assert np.array_equal(y.numpy(), x.numpy() * (mask / q))
    torch.manual_seed(3)
    a = torch.randint(0, 2**31, (1,)).item()
    torch.manual_seed(3)
    F.dropout(torch.ones(5), 1.0, True)
    F.dropout(torch.ones(5), 0.0, True)
    assert torch.randint(0, 2**31, (1,)).item() == a

    # multinomial: Gumbel top-k without replacement, cumulative search with it (even for one
    # sample); WeightedRandomSampler is torch.multinomial on float64 weights.
    for seed in [0, 42]:
        for dtype in DTYPES.values():
            w = torch.rand(40, generator=gen(seed + 100), dtype=torch.float64).to(dtype)
            w[3] = 0
            wl = w.tolist()
            cast = f32 if dtype == torch.float32 else float
            for k in [1, 5, 30]:
                g, m = gen(seed), MT19937(seed)
                got = torch.multinomial(w, k, False, generator=g).tolist()
                key = [cast(wl[i] / cast(-math.log(1.0 - m.u53()))) for i in range(40)]
                assert got == sorted(range(40), key=lambda i: (-key[i], i))[:k]
                g, m = gen(seed), MT19937(seed)
                got = torch.multinomial(w, k, True, generator=g).tolist()
                total, cum = cast(0.0), []
                for v in wl:
                    total = cast(total + v)
                    cum.append(total)
                cum = [cast(c / total) for c in cum[:-1]] + [1.0]
                want = []
                for _ in range(k):
                    u = m.u53()
                    want.append(next(i for i, c in enumerate(cum) if not c < u))
                assert got == want


# ---- golden cases ----------------------------------------------------------------------------


class Cases:
    def __init__(self):
        self.cases, self.tensors = [], {}

    def add(self, name, seed, steps, run):
        """run(g, step) returns the step's result (a tensor) and may add inputs to the step."""
        g = gen(seed)
        for i, step in enumerate(steps):
            out = run(g, step, f"{name}/{i}")
            self.tensors[f"{name}/{i}"] = out
        self.tensors[f"{name}/after"] = after(g)
        self.cases.append({"name": name, "seed": str(seed), "steps": steps})

    def save(self, filename):
        path = os.path.join(OUT, filename)
        save_file(self.tensors, path, {"cases": json.dumps(self.cases)})
        print(f"{path}: {os.path.getsize(path)} bytes, {len(self.cases)} cases")


def make_view(step):
    t = torch.empty(step["shape"], dtype=DTYPES[step.get("dtype", "float32")])
    if "permute" in step:
        t = t.permute(step["permute"])
    if "slice" in step:
        dim, start, end, stride = step["slice"]
        t = t[(slice(None),) * dim + (slice(start, end, stride),)]
    return t


def run_step(c):
    def run(g, step, key):
        op = step["op"]
        if op == "rand":
            return torch.rand(step["shape"], generator=g, dtype=DTYPES[step["dtype"]])
        if op == "randn":
            return torch.randn(step["shape"], generator=g, dtype=DTYPES[step["dtype"]])
        if op == "uniform":
            return make_view(step).uniform_(step["from"], step["to"], generator=g)
        if op == "normal":
            return make_view(step).normal_(step["mean"], step["std"], generator=g)
        if op == "bernoulli":
            return make_view(step).bernoulli_(step["p"], generator=g)
        if op == "randint":
            return torch.randint(int(step["low"]), int(step["high"]), step["shape"], generator=g)
        if op == "randperm":
            r = torch.randperm(step["n"], generator=g)
            if step["n"] <= 2000:
                return r
            # Large n: both ends and a position-weighted checksum keep the file small.
            c.tensors[key + "/checksum"] = (torch.arange(step["n"]) * r).sum().reshape(1)
            return torch.cat([r[:500], r[-500:]])
        if op == "multinomial":
            w = torch.rand(step["categories"], generator=gen(step["weights_seed"]),
                           dtype=torch.float64).to(DTYPES[step["dtype"]])
            for z in step.get("zeros", []):
                w[z] = 0
            c.tensors[key + "/weights"] = w
            return torch.multinomial(w, step["samples"], step["replacement"], generator=g)
        raise ValueError(op)

    return run


def raw_streams():
    """random() and random64() from a fresh seed, from the model verified above."""
    c = Cases()
    for k, seed in enumerate(SEEDS):
        m = MT19937(seed)
        c.tensors[f"seed{k}/random"] = torch.tensor([m.random() for _ in range(1300)])
        m = MT19937(seed)
        c.tensors[f"seed{k}/random64"] = torch.tensor([as_i64(m.random64()) for _ in range(700)])
        # Tensor.random_() on int64, as DataLoader draws its base seed: random64() % 2^63
        g = gen(seed)
        c.tensors[f"seed{k}/random_int64"] = torch.stack(
            [torch.empty((), dtype=torch.int64).random_(generator=g) for _ in range(5)])
        c.cases.append({"name": f"seed{k}", "seed": str(seed), "steps": []})
    c.save("stream.safetensors")


def continuous():
    c = Cases()
    run = run_step(c)
    for k, seed in enumerate(SEEDS):
        for dtype in DTYPES:
            for op in ["rand", "randn"]:
                steps = [{"op": op, "shape": [n], "dtype": dtype} for n in SIZES]
                c.add(f"{op}_{dtype}_seed{k}", seed, steps, run)
    for dtype in DTYPES:
        c.add(f"shapes_{dtype}", 5, [
            {"op": "randn", "shape": [4, 8], "dtype": dtype},  # 32: two vector blocks
            {"op": "randn", "shape": [3, 5, 7], "dtype": dtype},  # 105: redrawn tail
            {"op": "randn", "shape": [], "dtype": dtype},
            {"op": "randn", "shape": [0], "dtype": dtype},
            {"op": "rand", "shape": [2, 0, 3], "dtype": dtype},
            {"op": "uniform", "shape": [33], "dtype": dtype, "from": -0.37, "to": 1.91},
            {"op": "uniform", "shape": [4, 6], "dtype": dtype, "from": -2.5, "to": -2.5},
            {"op": "normal", "shape": [50], "dtype": dtype, "mean": 0.5, "std": 2.5},
            {"op": "normal", "shape": [5], "dtype": dtype, "mean": -1.25, "std": 0.3},
        ], run)
        # The cached Box-Muller value crosses calls and dtypes; the vector paths leave it alone.
        c.add(f"cache_{dtype}", 11, [
            {"op": "randn", "shape": [3], "dtype": dtype},
            {"op": "randn", "shape": [20], "dtype": dtype},
            {"op": "randn", "shape": [3], "dtype": dtype},
            {"op": "randn", "shape": [1], "dtype": "float64" if dtype == "float32" else "float32"},
            {"op": "randn", "shape": [16], "dtype": dtype},
            {"op": "randn", "shape": [1], "dtype": dtype},
        ], run)
        # Strided fills run in memory order; normal_ on a strided tensor takes the scalar path.
        c.add(f"strided_{dtype}", 3, [
            {"op": "uniform", "shape": [4, 3], "permute": [1, 0], "dtype": dtype,
             "from": 0.0, "to": 1.0},
            {"op": "uniform", "shape": [2, 3, 4], "permute": [2, 0, 1], "dtype": dtype,
             "from": -1.0, "to": 1.0},
            {"op": "uniform", "shape": [4, 6], "slice": [1, 0, 6, 2], "dtype": dtype,
             "from": 0.0, "to": 1.0},
            {"op": "normal", "shape": [8, 5], "permute": [1, 0], "dtype": dtype,
             "mean": 0.0, "std": 1.0},
            {"op": "normal", "shape": [6, 8], "slice": [0, 1, 5, 1], "dtype": dtype,
             "mean": 1.0, "std": 2.0},
            {"op": "bernoulli", "shape": [5, 4], "permute": [1, 0], "dtype": dtype, "p": 0.4},
        ], run)
    # A longer float32 vector-path run, to meet more of the polynomial's rounding cases.
    c.add("randn_long", 2024, [{"op": "randn", "shape": [8192], "dtype": "float32"}], run)
    c.save("continuous.safetensors")


def discrete():
    c = Cases()
    run = run_step(c)
    for k, seed in enumerate(SEEDS):
        c.add(f"randint_seed{k}", seed, [
            {"op": "randint", "low": "0", "high": "10", "shape": [17]},
            {"op": "randint", "low": "-5", "high": "10", "shape": [100]},
            {"op": "randint", "low": "0", "high": str(2**32 - 1), "shape": [7]},
            {"op": "randint", "low": "0", "high": str(2**32), "shape": [7]},
            {"op": "randint", "low": str(-(2**40)), "high": str(2**40), "shape": [15]},
            {"op": "randint", "low": str(-(2**63)), "high": str(2**63 - 1), "shape": [3, 2]},
        ], run)
        c.add(f"randperm_seed{k}", seed, [{"op": "randperm", "n": n}
                                          for n in [0, 1, 2, 3, 10, 17, 1000, 100000]], run)
        steps = []
        for dtype in DTYPES:
            for p in [0.5, 0.1, 0.9, 0.0, 1.0]:
                steps.append({"op": "bernoulli", "shape": [100], "dtype": dtype, "p": p})
            steps.append({"op": "bernoulli", "shape": [3, 7], "dtype": dtype, "p": 0.25})
        c.add(f"bernoulli_seed{k}", seed, steps, run)
    for k, seed in enumerate(SEEDS[:3]):
        steps = []
        for dtype in DTYPES:
            for replacement in [False, True]:
                for samples in [1, 5, 39]:
                    steps.append({"op": "multinomial", "dtype": dtype, "categories": 40,
                                  "weights_seed": 100 + k, "zeros": [3], "samples": samples,
                                  "replacement": replacement})
            steps.append({"op": "multinomial", "dtype": dtype, "categories": 1000,
                          "weights_seed": 200 + k, "samples": 300, "replacement": True})
            steps.append({"op": "multinomial", "dtype": dtype, "categories": 1000,
                          "weights_seed": 300 + k, "samples": 300, "replacement": False})
        c.add(f"multinomial_seed{k}", seed, steps, run)
    c.save("discrete.safetensors")


def modules():
    """What nn modules draw: default init of Linear / Conv2d, dropout masks, the sampler."""
    c = Cases()
    cases = c.cases
    for k, seed in enumerate([0, 1, 42]):
        torch.manual_seed(seed)
        lin = torch.nn.Linear(5, 3)
        conv = torch.nn.Conv2d(2, 4, 3)
        lin64 = torch.nn.Linear(7, 2).double()  # init in float32, then converted
        name = f"init_seed{k}"
        c.tensors[f"{name}/linear.weight"] = lin.weight.detach()
        c.tensors[f"{name}/linear.bias"] = lin.bias.detach()
        c.tensors[f"{name}/conv.weight"] = conv.weight.detach()
        c.tensors[f"{name}/conv.bias"] = conv.bias.detach()
        c.tensors[f"{name}/linear64.weight"] = lin64.weight.detach()
        # kaiming_uniform_(a=sqrt(5)) and the bias bound, as nn.init computes them in Python
        for key, fan_in in [("linear", 5), ("conv", 18), ("linear64", 7)]:
            gain = math.sqrt(2.0 / (1 + math.sqrt(5) ** 2))
            c.tensors[f"{name}/{key}.bound"] = torch.tensor(
                [math.sqrt(3.0) * (gain / math.sqrt(fan_in)), 1 / math.sqrt(fan_in)],
                dtype=torch.float64)
        c.tensors[f"{name}/after"] = torch.randint(0, 2**31, (3,))
        cases.append({"name": name, "seed": str(seed), "steps": []})

        name = f"dropout_seed{k}"
        x = torch.randn(4, 25, generator=gen(seed + 50))
        x4 = torch.randn(2, 3, 4, 4, generator=gen(seed + 60))
        torch.manual_seed(seed)
        c.tensors[f"{name}/input"] = x
        c.tensors[f"{name}/input4d"] = x4
        c.tensors[f"{name}/p0.5"] = F.dropout(x, 0.5, True)
        c.tensors[f"{name}/p0.2"] = F.dropout(x, 0.2, True)
        c.tensors[f"{name}/p0.3_2d"] = F.dropout2d(x4, 0.3, True)
        c.tensors[f"{name}/after"] = torch.randint(0, 2**31, (3,))
        cases.append({"name": name, "seed": str(seed), "steps": []})

        name = f"sampler_seed{k}"
        weights = [0.1, 0.9, 0.4, 0.7, 3.0, 0.6, 0.0, 2.2]
        g = gen(seed)
        drawn = list(torch.utils.data.WeightedRandomSampler(weights, 20, True, generator=g))
        drawn += list(torch.utils.data.WeightedRandomSampler(weights, 5, False, generator=g))
        c.tensors[f"{name}/weights"] = torch.tensor(weights, dtype=torch.float64)
        c.tensors[f"{name}/drawn"] = torch.tensor(drawn)
        c.tensors[f"{name}/after"] = after(g)
        cases.append({"name": name, "seed": str(seed), "steps": []})
    c.save("modules.safetensors")


if __name__ == "__main__":
    assert torch.__version__.startswith("1.13"), torch.__version__
    assert not torch.backends.mkl.is_available(), "MKL builds draw bernoulli_ differently"
    verify_models()
    os.makedirs(OUT, exist_ok=True)
    raw_streams()
    continuous()
    discrete()
    modules()
