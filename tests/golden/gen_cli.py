"""Golden files for tst_cli_*: native model files built by real PyTorch 1.13, inputs, and what
PyTorch computes for them (outputs, gradients, buffers after a train-mode forward, hook order).

Run: /usr/bin/python3 tests/golden/gen_cli.py (writes tests/golden/cli/).

For each case NAME it writes
  NAME.safetensors           the native model: state_dict tensors + metadata
                             nnscope.architecture (module tree JSON) and nnscope.seed
  NAME_input.safetensors     "input" (and "grad_output" for some cases)
  NAME_expected.safetensors  "eval.output", "eval.grad.input", "eval.grad.<param>" (eval mode),
                             "train.output", "train.grad.*", "train.buffer.<name>" (train mode,
                             buffers after the forward), "state.<key>" (the model's state_dict);
                             metadata "hooks": the --trace-hooks lines of an eval forward+backward
                             (one JSON object per line: module hooks, "output_grad" tensor hooks
                             on module outputs, "grad" tensor hooks on parameters),
                             "load_hooks": those of load_state_dict (--architecture),
                             "state_hooks": those of state_dict() (--save-state).

Hook order: forward_pre, forward and full backward hooks come from PyTorch 1.13 itself. 1.13 has
no backward pre-hooks; PyTorch 2.0 fires them from the same place 1.13 fires its output-side
backward hook machinery (the grad_fn hook of the module's wrapped output, before the full backward
hooks when no input requires grad), so that hook is patched here to record them exactly there.
"""

import inspect
import json
import os
import sys

import torch
import torch.nn as nn
from torch.utils import hooks as torch_hooks

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenlib import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cli")

# Constructor arguments that describe placement or initial values, not the architecture.
_SKIPPED_ARGS = {"device", "dtype", "_weight", "_freeze"}
# Options nnscope's engine does not model; written only when they differ from the default, so
# that files of ordinary models stay loadable.
_UNMODELLED_WHEN_DEFAULT = {"max_norm", "norm_type", "scale_grad_by_freq", "sparse"}


def _arg_value(module, name):
    if name == "bias":
        return module.bias is not None
    value = getattr(module, name)
    if isinstance(value, tuple):
        return list(value)
    return value


def architecture(module):
    """The module tree as nnscope.architecture JSON: PyTorch's constructor argument names."""
    node = {"type": type(module).__name__}
    for name, param in inspect.signature(type(module).__init__).parameters.items():
        if name == "self" or name in _SKIPPED_ARGS:
            continue
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        value = _arg_value(module, name)
        if name in _UNMODELLED_WHEN_DEFAULT and value == param.default:
            continue
        node[name] = value
    children = [[name, architecture(child)] for name, child in module.named_children()]
    if children:
        node["children"] = children
    return node


def _install_backward_pre_hooks():
    """Records PyTorch 2.0's full backward pre-hooks on 1.13 (see the module docstring)."""

    def setup_output_hook(self, args):
        def fn(grad_fn):
            def hook(_, grad_output):
                self.grad_outputs = self._pack_with_none(
                    self.output_tensors_index, grad_output, self.n_outputs
                )
                for pre_hook in getattr(self.module, "_golden_backward_pre_hooks", []):
                    pre_hook(self.module, self.grad_outputs)
                if self.input_tensors_index is None:
                    grad_inputs = self._pack_with_none([], [], self.n_inputs)
                    for user_hook in self.user_hooks:
                        user_hook(self.module, grad_inputs, self.grad_outputs)
                    self.grad_outputs = None

            grad_fn.register_hook(hook)

        is_tuple = isinstance(args, tuple)
        if not is_tuple:
            args = (args,)
        res, output_idx = self._apply_on_tensors(fn, args)
        self.n_outputs = len(args)
        self.output_tensors_index = output_idx
        return res if is_tuple else res[0]

    torch_hooks.BackwardHook.setup_output_hook = setup_output_hook


def trace_line(kind, name):
    return json.dumps({"hook": kind, "parameter" if kind == "grad" else "module": name})


def trace_hooks(model, x, grad_output):
    """--trace-hooks: module hooks, a tensor hook on each module's output (registered in its
    forward hook) and on each parameter."""
    events = []
    for name, m in model.named_modules():
        m.register_forward_pre_hook(lambda *_, n=name: events.append(("forward_pre", n)))

        def forward_hook(module, inputs, output, n=name):
            events.append(("forward", n))
            if output.requires_grad:
                output.register_hook(lambda *_: events.append(("output_grad", n)))

        m.register_forward_hook(forward_hook)
        m._golden_backward_pre_hooks = [lambda *_, n=name: events.append(("backward_pre", n))]
        m.register_full_backward_hook(lambda *_, n=name: events.append(("backward", n)))
    for name, p in model.named_parameters():
        p.register_hook(lambda *_, n=name: events.append(("grad", n)))
    out = model(x)
    out.backward(grad_output)
    return "\n".join(trace_line(kind, n) for kind, n in events)


def trace_state_dict_hooks(build, state):
    """--trace-hooks around --save-state (state_dict()) and --architecture (load_state_dict)."""
    model = build()
    events = []
    for name, m in model.named_modules():
        m._register_load_state_dict_pre_hook(
            lambda *_, n=name: events.append(("load_state_dict_pre", n)), with_module=True)
        m.register_load_state_dict_post_hook(
            lambda *_, n=name: events.append(("load_state_dict_post", n)))
    model.load_state_dict(state)
    load = "\n".join(trace_line(kind, n) for kind, n in events)
    events.clear()
    for name, m in model.named_modules():
        m._register_state_dict_hook(lambda *_, n=name: events.append(("state_dict", n)))
    model.state_dict()
    return load, "\n".join(trace_line(kind, n) for kind, n in events)


def forward_backward(model, x, grad_output, prefix, train):
    model.train(train)
    model.zero_grad(set_to_none=True)
    x = x.clone().requires_grad_(x.is_floating_point())
    out = model(x)
    result = {prefix + "output": out.detach().clone()}
    if train:
        for name, b in model.named_buffers():
            result[prefix + "buffer." + name] = b.detach().clone()
    out.backward(grad_output if grad_output is not None else torch.ones_like(out))
    if x.is_floating_point():
        result[prefix + "grad.input"] = x.grad.clone()
    for name, p in model.named_parameters():
        result[prefix + "grad." + name] = p.grad.clone()
    return result


def write_case(name, build, x, grad_output=None, seed=0, with_tensors=True):
    torch.manual_seed(seed)
    model = build()
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    metadata = {
        "nnscope.architecture": json.dumps(architecture(model)),
        "nnscope.seed": str(seed),
    }
    save_file(state if with_tensors else {}, os.path.join(OUT, name + ".safetensors"), metadata)
    inputs = {"input": x}
    if grad_output is not None:
        inputs["grad_output"] = grad_output
    save_file(inputs, os.path.join(OUT, name + "_input.safetensors"))

    expected = {"state." + k: v for k, v in state.items()}
    # Train first on a copy so the eval pass sees the file's buffers, as a fresh CLI run does.
    train_model = build()
    train_model.load_state_dict(state)
    expected.update(forward_backward(train_model, x, grad_output, "train.", True))
    model.load_state_dict(state)
    expected.update(forward_backward(model, x, grad_output, "eval.", False))
    model.eval()
    hooks = trace_hooks(model, x.clone().requires_grad_(x.is_floating_point()),
                        grad_output if grad_output is not None else torch.ones_like(model(x)))
    load_hooks, state_hooks = trace_state_dict_hooks(build, state)
    save_file(expected, os.path.join(OUT, name + "_expected.safetensors"),
              {"hooks": hooks, "load_hooks": load_hooks, "state_hooks": state_hooks})


def nested_mlp():
    return nn.Sequential(
        nn.Flatten(),
        nn.Sequential(nn.Linear(12, 8), nn.ReLU()),
        nn.Sequential(nn.Linear(8, 6, bias=False), nn.Tanh(), nn.Sequential(nn.Linear(6, 4))),
    )


def conv_bn():
    return nn.Sequential(
        nn.Conv2d(2, 4, 3, padding=1),
        nn.BatchNorm2d(4),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16, 3),
    )


def embedding():
    return nn.Sequential(
        nn.Embedding(10, 4, padding_idx=0), nn.Flatten(), nn.Linear(12, 5), nn.Sigmoid()
    )


def bn1d_layernorm():
    return nn.Sequential(
        nn.Linear(5, 6), nn.BatchNorm1d(6, momentum=0.3), nn.GELU(), nn.LayerNorm(6),
        nn.Linear(6, 2),
    )


def seed_only():
    return nn.Sequential(
        nn.Conv2d(1, 3, (2, 3), stride=(1, 2)), nn.ReLU(), nn.Flatten(), nn.Linear(18, 4), nn.Tanh(),
        nn.BatchNorm1d(4),
    )


def main():
    os.makedirs(OUT, exist_ok=True)
    _install_backward_pre_hooks()
    g = torch.Generator().manual_seed(1234)
    write_case("nested_mlp", nested_mlp, torch.randn(3, 3, 4, generator=g))
    write_case("conv_bn", conv_bn, torch.randn(2, 2, 4, 4, generator=g),
               grad_output=torch.randn(2, 3, generator=g))
    write_case("embedding", embedding, torch.tensor([[1, 0, 9], [3, 3, 7]]))
    write_case("bn1d_layernorm", bn1d_layernorm, torch.randn(4, 5, generator=g),
               grad_output=torch.randn(4, 2, generator=g))
    # A random grad_output: with ones, BatchNorm's input gradient is zero up to rounding noise.
    write_case("seed_only", seed_only, torch.randn(6, 1, 3, 7, generator=g), seed=42,
               with_tensors=False, grad_output=torch.randn(6, 4, generator=g))


if __name__ == "__main__":
    main()
