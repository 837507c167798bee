"""The four torchvision classification models of issue #16 in every format nnscope runs, and what
PyTorch 1.13 computes with them: the goldens of the vision-model tests.

Run: /usr/bin/python3 tests/golden/gen_vision_models.py --out DIR [--goldens]

The model files are large (5-45 MB each, about 430 MB in all), so they are not committed. The test
suite regenerates them into its build tree (the CTest fixture "vision_models") and this script
checks each model's weight digest against vision/manifest.json: the committed outputs are then
known to be the outputs of exactly those weights. --goldens (re)writes the committed files
(vision/manifest.json and vision/<model>.safetensors) instead of checking them.

Weights are drawn with uniform_ only after torch.manual_seed (torchvision's own init uses normal_,
whose vectorised path depends on the CPU): uniform draws are the same on every x86-64 machine.
Batch-norm running statistics get values of their own so that eval-mode normalisation matters.

For each model M, in DIR:
  M.pickle.pt      torch.save(model)                 (whole-model pickle, zip format)
  M.state_dict.pt  torch.save(model.state_dict())    (run with --architecture torchvision:M)
  M.trace.pt       torch.jit.trace(model, input)     (TorchScript, traced)
  M.script.pt      torch.jit.script(model)           (TorchScript, scripted)
  M.onnx           torch.onnx.export(model, input)   (opset per model below, dynamic batch)
  M.input.safetensors  "input" [1, 3, 128, 128] and "grad_output" [1, 1000]
and in tests/golden/vision/M.safetensors (committed): "input", "grad_output", "output" (the
model's eval-mode output) and "grad.input" (d(sum(output * grad_output)) / d input).
"""

import argparse
import hashlib
import json
import math
import os
import sys

try:
    import torch
    import torchvision
except ImportError as error:  # the test suite skips the vision-model tests (exit code 77)
    print(f"PyTorch/torchvision are not installed ({error}): no vision models", file=sys.stderr)
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import goldenlib  # noqa: E402

GOLDENS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vision")

# name -> (seed, ONNX opset). The opsets cover the range torch.onnx.export writes in 1.13.
MODELS = {
    "resnet18": (1601, 11),
    "mobilenet_v2": (1602, 13),
    "squeezenet1_1": (1603, 15),
    "efficientnet_b0": (1604, 17),
}
INPUT_SHAPE = (1, 3, 128, 128)


def make_model(name, seed):
    torch.manual_seed(seed)
    model = getattr(torchvision.models, name)(weights=None)
    with torch.no_grad():
        for module in model.modules():
            for pname, p in module.named_parameters(recurse=False):
                if pname == "weight" and p.dim() > 1:
                    fan_in = p[0].numel()
                    bound = math.sqrt(3.0 / fan_in) * (math.sqrt(2.0) if module_is_relu_fed(module) else 1.0)
                    p.uniform_(-bound, bound)
                elif pname == "weight":  # norm layers
                    p.uniform_(0.5, 1.5)
                else:
                    p.uniform_(-0.1, 0.1)
            for bname, b in module.named_buffers(recurse=False):
                if bname == "running_mean":
                    b.uniform_(-0.1, 0.1)
                elif bname == "running_var":
                    b.uniform_(0.5, 1.5)
    return model.eval()


def module_is_relu_fed(module):
    # Convolutions keep activations near unit variance behind a ReLU with twice the variance.
    return isinstance(module, torch.nn.Conv2d)


def state_digest(model):
    h = hashlib.sha256()
    for key, t in model.state_dict().items():
        h.update(key.encode())
        h.update(str(t.dtype).encode())
        h.update(str(list(t.shape)).encode())
        h.update(t.contiguous().view(-1).view(torch.uint8).numpy().tobytes())
    return h.hexdigest()


def make_inputs(seed):
    g = torch.Generator().manual_seed(seed + 100)
    x = torch.rand(INPUT_SHAPE, generator=g) * 2 - 1
    grad_output = torch.rand((1, 1000), generator=g) * 2 - 1
    return x, grad_output


def write_models(name, model, x, out):
    seed, opset = MODELS[name]
    torch.save(model, os.path.join(out, f"{name}.pickle.pt"))
    torch.save(model.state_dict(), os.path.join(out, f"{name}.state_dict.pt"))
    with torch.no_grad():
        traced = torch.jit.trace(model, x)
    traced.save(os.path.join(out, f"{name}.trace.pt"))
    torch.jit.script(model).save(os.path.join(out, f"{name}.script.pt"))
    torch.onnx.export(model, x, os.path.join(out, f"{name}.onnx"), opset_version=opset,
                      input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})


def run_model(model, x, grad_output):
    xg = x.clone().requires_grad_(True)
    y = model(xg)
    (y * grad_output).sum().backward()
    return y.detach(), xg.grad.detach()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True, help="folder for the model files")
    parser.add_argument("--goldens", action="store_true",
                        help="rewrite the committed goldens instead of checking against them")
    parser.add_argument("--only", help="comma-separated model names")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    manifest_path = os.path.join(GOLDENS, "manifest.json")
    manifest = {}
    if os.path.exists(manifest_path):
        with open(manifest_path) as f:
            manifest = json.load(f)
    names = args.only.split(",") if args.only else list(MODELS)
    for name in names:
        seed, opset = MODELS[name]
        model = make_model(name, seed)
        digest = state_digest(model)
        x, grad_output = make_inputs(seed)
        if args.goldens:
            y, gx = run_model(model, x, grad_output)
            os.makedirs(GOLDENS, exist_ok=True)
            goldenlib.save_file({"input": x, "grad_output": grad_output, "output": y,
                                 "grad.input": gx}, os.path.join(GOLDENS, f"{name}.safetensors"),
                                {"model": name, "torch": torch.__version__,
                                 "torchvision": torchvision.__version__})
            manifest[name] = {"seed": seed, "opset": opset, "state_digest": digest,
                              "input_shape": list(INPUT_SHAPE),
                              "output_abs_max": float(y.abs().max()),
                              "grad_input_abs_max": float(gx.abs().max())}
        elif manifest.get(name, {}).get("state_digest") != digest:
            sys.exit(f"{name}: the weights made here (digest {digest[:16]}...) are not those the "
                     f"committed goldens were made with; rerun with --goldens and commit")
        stamp = os.path.join(args.out, f"{name}.stamp")
        if os.path.exists(stamp) and open(stamp).read() == digest:
            continue
        write_models(name, model, x, args.out)
        goldenlib.save_file({"input": x, "grad_output": grad_output},
                            os.path.join(args.out, f"{name}.input.safetensors"))
        with open(stamp, "w") as f:
            f.write(digest)
        print(f"{name}: written to {args.out}")
    if args.goldens:
        with open(manifest_path, "w") as f:
            json.dump(manifest, f, indent=1, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
