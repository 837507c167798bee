"""Golden data for nnscope's nn modules and optimizers, from real PyTorch 1.13.

Run with /usr/bin/python3 from anywhere; writes tests/golden/nn/*.safetensors. Strings (key
lists, repr output, error messages, hook firing order) travel in each file's metadata.
"""

import math
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenlib import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn")
SEP = "|"  # joins lists of strings in metadata


def det(*shape, scale=1.0, shift=0.0):
    """Deterministic float32 values that draw nothing from the generator."""
    n = math.prod(shape)
    t = torch.arange(n, dtype=torch.float64)
    return ((torch.sin(t * 1.37 + 0.3) * scale) + shift).float().reshape(shape)


# --- default initialisation -------------------------------------------------------------------
def gen_init():
    tensors, meta = {}, {}

    def record(tag, seed, build):
        torch.manual_seed(seed)
        model = build()
        for k, v in model.state_dict().items():
            tensors[f"{tag}.{k}"] = v
        meta[f"{tag}.keys"] = SEP.join(model.state_dict().keys())
        return model

    record("mlp", 0, lambda: nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 10)))
    record("cnn", 1, lambda: nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 8, 3, stride=2, bias=False), nn.Conv2d(8, 4, (1, 3), groups=2),
        nn.Flatten(), nn.Linear(12, 3)))
    record("emb", 2, lambda: nn.ModuleDict({
        "tok": nn.Embedding(10, 4, padding_idx=1), "bag": nn.EmbeddingBag(8, 3, mode="sum"),
        "norm": nn.LayerNorm(4), "bn": nn.BatchNorm1d(3), "out": nn.Linear(4, 2, bias=False)}))
    record("big", 3, lambda: nn.Sequential(nn.Linear(33, 7), nn.Embedding(5, 7, padding_idx=-1)))

    # LazyLinear draws its initial values at the first forward, after everything built before.
    torch.manual_seed(4)
    lazy = nn.Sequential(nn.Linear(5, 6), nn.LazyLinear(3), nn.Linear(3, 2))
    meta["lazy.repr_before"] = repr(lazy)
    lazy(det(2, 5))
    meta["lazy.repr_after"] = repr(lazy)
    for k, v in lazy.state_dict().items():
        tensors[f"lazy.{k}"] = v

    # nn.init functions, one after another from the default generator.
    torch.manual_seed(5)
    w = torch.empty(6, 5)
    for name, fn in [
        ("xavier_uniform", lambda t: nn.init.xavier_uniform_(t, gain=1.5)),
        ("xavier_normal", lambda t: nn.init.xavier_normal_(t)),
        ("kaiming_uniform", lambda t: nn.init.kaiming_uniform_(t, mode="fan_out",
                                                              nonlinearity="relu")),
        ("kaiming_normal", lambda t: nn.init.kaiming_normal_(t, a=0.2)),
        ("uniform", lambda t: nn.init.uniform_(t, -2.0, 3.0)),
        ("normal", lambda t: nn.init.normal_(t, 1.0, 2.0)),
    ]:
        fn(w)
        tensors[f"init.{name}"] = w.clone()
    conv_w = torch.empty(4, 3, 2, 2)
    nn.init.kaiming_normal_(conv_w, mode="fan_out", nonlinearity="tanh")
    tensors["init.kaiming_normal_conv"] = conv_w
    # A separate generator: the same bound, drawn from it (what init::*_(..., &gen) does).
    g = torch.Generator().manual_seed(7)
    fan_in, fan_out = 5, 6
    a = 1.0 * math.sqrt(2.0 / float(fan_in + fan_out)) * math.sqrt(3.0)
    tensors["init.xavier_uniform_gen7"] = torch.empty(6, 5).uniform_(-a, a, generator=g)
    meta["gain.leaky_relu"] = repr(nn.init.calculate_gain("leaky_relu"))
    meta["gain.tanh"] = repr(nn.init.calculate_gain("tanh"))
    save_file(tensors, os.path.join(OUT, "init.safetensors"), meta)


# --- structure: names, repr, state_dict keys, load_state_dict messages ------------------------
def nested():
    torch.manual_seed(0)
    return nn.ModuleDict({
        "enc": nn.Sequential(nn.Linear(3, 4), nn.ReLU(),
                             nn.ModuleList([nn.Linear(4, 4), nn.BatchNorm1d(4)])),
        "head": nn.ModuleList([nn.Sequential(nn.Linear(4, 2)), nn.Linear(2, 2, bias=False)]),
    })


def gen_structure():
    meta = {}
    m = nested()
    meta["nested.named_parameters"] = SEP.join(k for k, _ in m.named_parameters())
    meta["nested.named_buffers"] = SEP.join(k for k, _ in m.named_buffers())
    meta["nested.named_modules"] = SEP.join(k for k, _ in m.named_modules())
    meta["nested.named_children"] = SEP.join(k for k, _ in m.named_children())
    meta["nested.state_dict"] = SEP.join(m.state_dict().keys())
    meta["nested.repr"] = repr(m)

    # Sharing: one Linear twice, and a parameter shared between two modules.
    shared = nn.Linear(2, 2)
    s = nn.Sequential(shared, nn.ReLU(), shared, nn.Linear(2, 2))
    s[3].weight = shared.weight
    meta["shared.named_parameters"] = SEP.join(k for k, _ in s.named_parameters())
    meta["shared.named_modules"] = SEP.join(k for k, _ in s.named_modules())
    meta["shared.named_modules_all"] = SEP.join(
        k for k, _ in s.named_modules(remove_duplicate=False))
    meta["shared.state_dict"] = SEP.join(s.state_dict().keys())

    # Buffers: persistent and not, and None entries.
    class Custom(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_parameter("w", nn.Parameter(torch.zeros(2)))
            self.register_parameter("none_param", None)
            self.register_buffer("persist", torch.zeros(1))
            self.register_buffer("scratch", torch.zeros(1), persistent=False)
            self.register_buffer("none_buf", None)
            self.add_module("child", nn.BatchNorm1d(2, track_running_stats=False))

    c = Custom()
    meta["custom.named_parameters"] = SEP.join(k for k, _ in c.named_parameters())
    meta["custom.named_buffers"] = SEP.join(k for k, _ in c.named_buffers())
    meta["custom.state_dict"] = SEP.join(c.state_dict().keys())
    meta["custom.repr"] = repr(c)

    # apply() order: children first.
    order = []
    m.apply(lambda mod: order.append(type(mod).__name__))
    meta["nested.apply_order"] = SEP.join(order)

    # repr of each module type.
    reprs = {
        "linear": nn.Linear(784, 256), "linear_nobias": nn.Linear(3, 2, bias=False),
        "lazy": nn.LazyLinear(10), "identity": nn.Identity(), "relu": nn.ReLU(),
        "relu_inplace": nn.ReLU(inplace=True), "sigmoid": nn.Sigmoid(), "tanh": nn.Tanh(),
        "gelu": nn.GELU(), "gelu_tanh": nn.GELU(approximate="tanh"), "softmax": nn.Softmax(dim=1),
        "softmax_none": nn.Softmax(), "logsoftmax": nn.LogSoftmax(dim=-1), "flatten": nn.Flatten(),
        "flatten2": nn.Flatten(0, 2), "dropout": nn.Dropout(), "dropout2": nn.Dropout(0.25),
        "conv": nn.Conv2d(1, 32, 3), "conv_full": nn.Conv2d(4, 8, (3, 5), stride=2, padding=(1, 2),
                                                            dilation=2, groups=2, bias=False),
        "conv_same": nn.Conv2d(2, 3, 4, padding="same"), "conv_valid": nn.Conv2d(2, 3, 3, padding="valid"),
        "maxpool": nn.MaxPool2d(2), "maxpool2": nn.MaxPool2d((3, 2), stride=1, padding=1, ceil_mode=True),
        "avgpool": nn.AvgPool2d(2), "avgpool2": nn.AvgPool2d(3, stride=(2, 1), padding=1),
        "bn1d": nn.BatchNorm1d(16), "bn2d": nn.BatchNorm2d(8, eps=1e-3, momentum=None, affine=False,
                                                           track_running_stats=False),
        "layernorm": nn.LayerNorm(10), "layernorm2": nn.LayerNorm([3, 4], eps=1e-6, elementwise_affine=False),
        "embedding": nn.Embedding(100, 16), "embedding_pad": nn.Embedding(10, 3, padding_idx=-2),
        "embeddingbag": nn.EmbeddingBag(10, 3), "embeddingbag_sum": nn.EmbeddingBag(10, 3, mode="sum", padding_idx=0),
        "cross_entropy": nn.CrossEntropyLoss(), "mse": nn.MSELoss(reduction="sum"),
        "sequential": nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2),
                                    nn.Linear(256, 10)),
        "empty_sequential": nn.Sequential(),
    }
    for k, v in reprs.items():
        meta[f"repr.{k}"] = repr(v)

    # load_state_dict: missing and unexpected keys, size mismatch.
    target = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    sd = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4)).state_dict()
    del sd["0.bias"]
    del sd["1.num_batches_tracked"]
    sd["1.extra"] = torch.zeros(1)
    sd["2.weight"] = torch.zeros(1)
    res = target.load_state_dict(sd, strict=False)
    meta["load.missing"] = SEP.join(res.missing_keys)
    meta["load.unexpected"] = SEP.join(res.unexpected_keys)
    try:
        target.load_state_dict(sd)
    except RuntimeError as e:
        meta["load.strict_error"] = str(e)
    sd2 = target.state_dict()
    sd2["0.weight"] = torch.zeros(4, 2)
    try:
        target.load_state_dict(sd2)
    except RuntimeError as e:
        meta["load.size_error"] = str(e)

    for name, fn in [
        ("dot", lambda: nn.Module().register_parameter("a.b", None)),
        ("empty", lambda: nn.Module().register_buffer("", None)),
        ("module_dot", lambda: nn.Module().add_module("x.y", None)),
        ("exists", lambda: nn.Linear(2, 2).register_buffer("weight", None)),
        ("bn1d_dim", lambda: nn.BatchNorm1d(3)(torch.zeros(2, 3, 4, 5))),
        ("bn2d_dim", lambda: nn.BatchNorm2d(3)(torch.zeros(2, 3))),
        ("bn_batch", lambda: nn.BatchNorm1d(3)(torch.zeros(1, 3))),
        ("modulelist_call", lambda: nn.ModuleList([nn.ReLU()])(torch.zeros(1))),
        ("dropout_p", lambda: nn.Dropout(1.5)),
        ("conv_same_stride", lambda: nn.Conv2d(1, 1, 3, stride=2, padding="same")),
        ("conv_groups", lambda: nn.Conv2d(3, 4, 3, groups=2)),
        ("sgd_lr", lambda: torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=-1.0)),
        ("sgd_nesterov", lambda: torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.1, nesterov=True)),
        ("adam_beta", lambda: torch.optim.Adam([nn.Parameter(torch.zeros(1))], betas=(1.0, 0.9))),
        ("kaiming_mode", lambda: nn.init.kaiming_uniform_(torch.zeros(2, 2), mode="fan")),
        ("fan_1d", lambda: nn.init.xavier_uniform_(torch.zeros(3))),
    ]:
        try:
            fn()
            raise SystemExit(f"{name}: expected an error")
        except (KeyError, ValueError, RuntimeError, NotImplementedError, AssertionError) as e:
            meta[f"error.{name}"] = e.args[0] if isinstance(e, KeyError) else str(e)
    save_file({"dummy": torch.zeros(1)}, os.path.join(OUT, "structure.safetensors"), meta)


# --- hooks -------------------------------------------------------------------------------------
def hook_tree():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 5), nn.Sequential(nn.ReLU(), nn.Linear(5, 3)), nn.Tanh())


def gen_hooks():
    tensors, meta = {}, {}
    for case, x_requires_grad in [("grad_input", True), ("no_grad_input", False)]:
        model = hook_tree()
        events = []
        for name, mod in model.named_modules():
            tag = name or "root"
            mod.register_forward_pre_hook(lambda m, i, tag=tag: events.append("fpre:" + tag))
            mod.register_forward_hook(lambda m, i, o, tag=tag: events.append("fwd:" + tag))

            def bw(m, gi, go, tag=tag):
                events.append("bw:" + tag + ":" + "".join("T" if g is not None else "N" for g in gi))

            mod.register_full_backward_hook(bw)
        x = det(2, 4).requires_grad_(x_requires_grad)
        model(x).sum().backward()
        meta[f"order.{case}"] = SEP.join(events)

    # Replacement: input (pre-hook), output (forward hook), grad_input (full backward hook).
    model = hook_tree()
    model[0].register_forward_pre_hook(lambda m, i: (i[0] * 2,))
    model[1][0].register_forward_hook(lambda m, i, o: o + 1)
    model[1][1].register_full_backward_hook(lambda m, gi, go: (gi[0] * 3,))
    x = det(2, 4).requires_grad_(True)
    out = model(x)
    gout = det(2, 3, scale=0.5)
    out.backward(gout)
    tensors["replace.x"] = x.detach()
    tensors["replace.gout"] = gout
    tensors["replace.out"] = out.detach()
    tensors["replace.x_grad"] = x.grad
    for k, p in model.named_parameters():
        tensors[f"replace.grad.{k}"] = p.grad

    # A backward pre-hook (PyTorch 2.0) scaling grad_output of the last module by 0.5 is, for
    # what reaches the parameters and the input, a 0.5 scaling of the gradient at the output.
    model = hook_tree()
    x = det(2, 4).requires_grad_(True)
    out = model(x)
    out.register_hook(lambda g: g * 0.5)
    out.backward(gout)
    tensors["bpre.x_grad"] = x.grad
    for k, p in model.named_parameters():
        tensors[f"bpre.grad.{k}"] = p.grad
    save_file(tensors, os.path.join(OUT, "hooks.safetensors"), meta)


# --- module outputs and gradients -------------------------------------------------------------
def gen_modules():
    tensors = {}

    def case(name, module, x, target=None, train=True, randomize=False, x_grad=True, seed=None,
             extra=None):
        if randomize:
            with torch.no_grad():
                for i, p in enumerate(module.parameters()):
                    p.copy_(det(*p.shape, scale=0.7, shift=0.1 * i))
        module.train(train)
        for k, v in module.state_dict().items():
            tensors[f"{name}.param.{k}"] = v.clone()
        x = x.clone()
        if x.is_floating_point() and x_grad:
            x.requires_grad_(True)
        tensors[f"{name}.x"] = x.detach()
        inputs = [x] + ([target] if target is not None else []) + (extra or [])
        if target is not None:
            tensors[f"{name}.target"] = target
        for i, e in enumerate(extra or []):
            tensors[f"{name}.extra{i}"] = e
        if seed is not None:
            torch.manual_seed(seed)
        out = module(*inputs)
        gout = det(*out.shape, scale=0.3, shift=0.05)
        tensors[f"{name}.out"] = out.detach()
        if out.requires_grad:
            out.backward(gout)
            tensors[f"{name}.gout"] = gout
            if x.requires_grad:
                tensors[f"{name}.x_grad"] = x.grad
            for k, p in module.named_parameters():
                if p.grad is not None:
                    tensors[f"{name}.grad.{k}"] = p.grad
        for k, b in module.named_buffers():
            tensors[f"{name}.buffer.{k}"] = b.clone()

    torch.manual_seed(10)
    case("linear", nn.Linear(5, 3), det(4, 5))
    case("linear_nobias", nn.Linear(5, 3, bias=False), det(2, 3, 5))
    case("identity", nn.Identity(), det(3, 4))
    x = det(3, 4, scale=2.0)
    case("relu", nn.ReLU(), x)
    case("sigmoid", nn.Sigmoid(), x)
    case("tanh", nn.Tanh(), x)
    case("gelu", nn.GELU(), x)
    case("gelu_tanh", nn.GELU(approximate="tanh"), x)
    case("softmax", nn.Softmax(dim=1), x)
    case("softmax_implicit", nn.Softmax(), det(2, 3, 4))
    case("logsoftmax", nn.LogSoftmax(dim=0), x)
    case("flatten", nn.Flatten(), det(2, 3, 2, 2))
    case("dropout_train", nn.Dropout(0.4), det(4, 6), seed=123)
    case("dropout_eval", nn.Dropout(0.4), det(4, 6), train=False)
    case("conv", nn.Conv2d(2, 4, 3, padding=1), det(2, 2, 5, 5), randomize=True)
    case("conv_same", nn.Conv2d(2, 3, (2, 4), padding="same", dilation=(2, 1)), det(1, 2, 5, 6),
         randomize=True)
    case("conv_group", nn.Conv2d(4, 4, 3, stride=2, groups=2, bias=False), det(1, 4, 7, 7),
         randomize=True)
    case("maxpool", nn.MaxPool2d(2), det(1, 2, 4, 6))
    case("maxpool_s1", nn.MaxPool2d(3, stride=1, padding=1), det(2, 1, 4, 4))
    case("avgpool", nn.AvgPool2d(2, stride=1), det(1, 2, 3, 4))
    case("layernorm", nn.LayerNorm(4), det(3, 4, scale=3.0), randomize=True)
    case("embedding", nn.Embedding(6, 3, padding_idx=2), torch.tensor([[0, 2, 5], [2, 1, 0]]),
         randomize=True)
    case("embeddingbag", nn.EmbeddingBag(6, 3), torch.tensor([1, 2, 4, 5, 4, 3]), randomize=True,
         extra=None, target=torch.tensor([0, 2, 5]))
    case("embeddingbag_sum", nn.EmbeddingBag(6, 3, mode="sum"), torch.tensor([[1, 2], [4, 4]]),
         randomize=True)
    case("cross_entropy", nn.CrossEntropyLoss(), det(4, 5), target=torch.tensor([1, 0, 4, 2]))
    case("cross_entropy_opts",
         nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 0.5, 1.5, 1.0]), ignore_index=0,
                             label_smoothing=0.1), det(4, 5), target=torch.tensor([1, 0, 4, 2]))
    case("mse", nn.MSELoss(), det(3, 4), target=det(3, 4, scale=0.5, shift=0.2))

    # BatchNorm: three training steps, then eval; running stats and num_batches_tracked.
    for name, make, shape in [
        ("bn1d", lambda: nn.BatchNorm1d(3), (4, 3)),
        ("bn1d_3d", lambda: nn.BatchNorm1d(3, momentum=None), (2, 3, 4)),
        ("bn2d", lambda: nn.BatchNorm2d(2, momentum=0.3), (2, 2, 3, 3)),
        ("bn2d_noaffine", lambda: nn.BatchNorm2d(2, affine=False), (3, 2, 2, 2)),
        ("bn2d_nostats", lambda: nn.BatchNorm2d(2, track_running_stats=False), (2, 2, 2, 3)),
    ]:
        bn = make()
        with torch.no_grad():
            for i, p in enumerate(bn.parameters()):
                p.copy_(det(*p.shape, scale=0.5, shift=1.0 + i))
        tensors[f"{name}.init.weight"] = bn.weight.detach().clone() if bn.affine else torch.zeros(0)
        tensors[f"{name}.init.bias"] = bn.bias.detach().clone() if bn.affine else torch.zeros(0)
        for step in range(3):
            x = det(*shape, scale=1.0 + step, shift=0.3 * step).requires_grad_(True)
            out = bn(x)
            tensors[f"{name}.step{step}.x"] = x.detach()
            tensors[f"{name}.step{step}.out"] = out.detach()
        gout = det(*out.shape, scale=0.3)
        out.backward(gout)
        tensors[f"{name}.gout"] = gout
        tensors[f"{name}.x_grad"] = x.grad
        for k, b in bn.named_buffers():
            tensors[f"{name}.buffer.{k}"] = b.clone()
        bn.eval()
        xe = det(*shape, scale=0.7, shift=-0.2)
        tensors[f"{name}.eval.x"] = xe
        tensors[f"{name}.eval.out"] = bn(xe).detach()
    save_file(tensors, os.path.join(OUT, "modules.safetensors"))


# --- optimizers --------------------------------------------------------------------------------
def gen_optim():
    tensors = {}
    p0 = det(3, 4, scale=1.5)
    target = det(3, 4, scale=0.5, shift=0.3)
    weight = det(3, 4, scale=0.4, shift=1.0)
    tensors["p0"], tensors["target"], tensors["weight"] = p0, target, weight
    configs = {
        "sgd": (torch.optim.SGD, dict(lr=0.1)),
        "sgd_momentum": (torch.optim.SGD, dict(lr=0.1, momentum=0.9)),
        "sgd_dampening": (torch.optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.5)),
        "sgd_nesterov": (torch.optim.SGD, dict(lr=0.1, momentum=0.8, nesterov=True)),
        "sgd_wd": (torch.optim.SGD, dict(lr=0.1, weight_decay=0.1)),
        "sgd_all": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, weight_decay=0.01, nesterov=True)),
        "sgd_maximize": (torch.optim.SGD, dict(lr=0.01, momentum=0.5, weight_decay=0.1, maximize=True)),
        "adam": (torch.optim.Adam, dict(lr=0.05)),
        "adam_wd": (torch.optim.Adam, dict(lr=0.05, betas=(0.8, 0.99), weight_decay=0.1)),
        "adam_amsgrad": (torch.optim.Adam, dict(lr=0.05, amsgrad=True)),
        "adam_maximize": (torch.optim.Adam, dict(lr=0.01, eps=1e-6, maximize=True)),
        "adamw": (torch.optim.AdamW, dict(lr=0.05)),
        "adamw_amsgrad": (torch.optim.AdamW, dict(lr=0.05, weight_decay=0.1, amsgrad=True)),
    }
    for name, (cls, kwargs) in configs.items():
        p = nn.Parameter(p0.clone())
        opt = cls([p], foreach=False, **kwargs)
        traj = []
        for _ in range(10):
            opt.zero_grad()
            loss = (weight * (p - target) ** 2).sum()
            loss.backward()
            opt.step()
            traj.append(p.detach().clone())
        tensors[f"{name}.trajectory"] = torch.stack(traj)
    save_file(tensors, os.path.join(OUT, "optim.safetensors"))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    gen_init()
    gen_structure()
    gen_hooks()
    gen_modules()
    gen_optim()
    print("wrote", OUT)
