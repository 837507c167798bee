"""Golden files for tst_onnx_tree: models exported by torch.onnx.export (PyTorch 1.13, opset 13)
and the module tree PyTorch itself reports for them, to check the tree nnscope builds from the
exporter's scoped node names ("/layer1/layer1.0/conv1/Conv") and the initializers the nodes use.

Small models are committed (tests/golden/onnx/tree_<name>.onnx, a few KB to ~130 KB):
  tree_resnet      a ResNet of torchvision's BasicBlocks, widths 8 and 16, eval mode: the exporter
                   folds every BatchNorm into the Conv before it ("onnx::Conv_12" initializers)
  tree_resnet_fresh  the same with untouched BatchNorms: all folded biases are equal (zero), so
                   the exporter keeps one and feeds the other Convs through Identity nodes
  tree_resnet_train  the same exported with TrainingMode.TRAINING: BatchNorm nodes survive and
                   initializers keep their state_dict names
  tree_mobilenet   torchvision's MobileNetV2 with width 0.25 and two inverted-residual stages
  tree_tied        Embedding + TransformerEncoderLayer + a Linear head tied to the embedding
  tree_sequential  a plain nn.Sequential
Beside each, tree_<name>_expected.json:
  torch_modules    {path: parameter elements the module holds itself} for every module of
                   named_modules() that holds a parameter (PyTorch's truth)
  folded           {batchnorm path: conv path} for BatchNorms the exporter folded (their module
                   is gone from the file; the conv's weight and bias are the folded ones)
  onnx_modules     {path: own parameter elements nnscope must show}: torch_modules with each
                   folded BatchNorm removed and the conv holding weight + out_channels bias
  total            parameter elements of all initializers, each counted once
  shared           {initializer: [modules of the nodes that use it]} for initializers used in
                   more than one module
Full-size torchvision resnet18 and mobilenet_v2 (45 MB and 14 MB) are exported only to $TMPDIR by
--full, with their expected JSON committed (tree_resnet18_expected.json, ...); tst_onnx_tree
tests them when NNSCOPE_ONNX_FULL_DIR points at the exports and skips otherwise.

Run: /usr/bin/python3 tests/golden/gen_onnx_tree.py [--full DIR]
"""

import json
import os
import sys

import onnx
import torch
import torch.nn as nn
import torchvision
from torchvision.models.resnet import BasicBlock

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "onnx")


class TinyResNet(nn.Module):
    """torchvision's ResNet layout (conv1, bn1, relu, maxpool, layer1..2 of BasicBlocks with a
    downsample Sequential, avgpool, fc) at widths 8 and 16, so the module paths are resnet's."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = nn.Sequential(BasicBlock(8, 8), BasicBlock(8, 8))
        down = nn.Sequential(nn.Conv2d(8, 16, 1, 2, bias=False), nn.BatchNorm2d(16))
        self.layer2 = nn.Sequential(BasicBlock(8, 16, 2, down), BasicBlock(16, 16))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer2(self.layer1(x))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class Tied(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(50, 16)
        self.norm = nn.LayerNorm(16)
        self.encoder = nn.TransformerEncoderLayer(16, 2, 32, dropout=0.0, batch_first=True)
        self.head = nn.Linear(16, 50, bias=False)
        self.head.weight = self.embed.weight

    def forward(self, tokens):
        return self.head(self.encoder(self.norm(self.embed(tokens))))


def randomize_batchnorms(model):
    """Trained-looking statistics, so that no two folded biases are equal (the exporter merges
    equal initializers)."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)


def perturb(model):
    """No two parameters equal (the exporter keeps one of equal initializers: fresh LayerNorms,
    zero biases), so that each module's tensors stay its own."""
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.rand_like(p) * 0.1)


def torch_modules(model):
    return {name or "": sum(p.numel() for p in m.parameters(recurse=False))
            for name, m in model.named_modules()
            if any(True for _ in m.parameters(recurse=False))}


def folded_batchnorms(model):
    """A BatchNorm2d listed right after a Conv2d by named_modules() (resnet's conv1/bn1,
    downsample.0/.1, torchvision's Conv2dNormActivation) is what the eval-mode exporter folds."""
    folded, previous = {}, None
    for name, m in model.named_modules():
        if isinstance(m, nn.BatchNorm2d) and previous and isinstance(previous[1], nn.Conv2d):
            folded[name] = previous[0]
        previous = (name, m)
    return folded


def consumers(graph):
    """{initializer: [module paths of the nodes using it]}, through Identity nodes, as nnscope
    should find them; the module is read from the node's scope name as torch 1.13 writes it."""
    inits = {i.name for i in graph.initializer}
    alias = {}
    for n in graph.node:
        if n.op_type == "Identity" and n.input[0] in inits | set(alias):
            alias[n.output[0]] = alias.get(n.input[0], n.input[0])
    users = {}
    for n in graph.node:
        if n.op_type == "Identity" and n.output[0] in alias:
            continue
        for value in n.input:
            source = alias.get(value, value)
            if source in inits:
                module = scope_module(n.name)
                users.setdefault(source, [])
                if module not in users[source]:
                    users[source].append(module)
    return users


def scope_module(node_name):
    """The module path of "/layer1/layer1.0/conv1/Conv": torch 1.13 names each scope by the
    module's last non-numeric atom and the numeric atoms after it (utils.py
    _unqualified_variable_name), a repeated call gets "_1" (naming.cpp UpdateBaseName)."""
    parts = node_name.split("/")[1:-1]
    path, unqualified = "", ""
    for i, part in enumerate(parts):
        if i == len(parts) - 1:
            stem, _, count = part.rpartition("_")
            if stem and count.isdigit():
                part = stem
        if unqualified and part.startswith(unqualified + ".") and \
                all(a.isdigit() for a in part[len(unqualified) + 1:].split(".")):
            path += part[len(unqualified):]
        else:
            path = f"{path}.{part}" if path else part
        unqualified = part
    return path


def export(name, model, args, out_dir, **kwargs):
    path = os.path.join(out_dir, f"tree_{name}.onnx")
    torch.onnx.export(model, args, path, opset_version=13, **kwargs)
    graph = onnx.load(path).graph
    truth = torch_modules(model)
    training = kwargs.get("training") == torch.onnx.TrainingMode.TRAINING
    folded = {} if training else folded_batchnorms(model)
    expected = dict(truth)
    for bn, conv in folded.items():
        expected[conv] += expected.pop(bn) // 2  # the bias: one element per channel
        if isinstance(dict(model.named_modules())[conv].bias, torch.Tensor):
            expected[conv] -= dict(model.named_modules())[conv].bias.numel()
    users = consumers(graph)
    total = sum(int(torch.tensor(list(i.dims)).prod()) for i in graph.initializer
                if i.data_type == onnx.TensorProto.FLOAT and
                not i.name.endswith((".running_mean", ".running_var")))
    # What the file must agree with: each initializer's elements on its first user's module.
    found = {}
    for i in graph.initializer:
        if i.data_type != onnx.TensorProto.FLOAT or i.name not in users or \
                i.name.endswith((".running_mean", ".running_var")):
            continue
        # A dotted name is its module's (a state_dict name); others lie where they are used.
        module = i.name.rpartition(".")[0] or users[i.name][0]
        found[module] = found.get(module, 0) + int(torch.tensor(list(i.dims)).prod())
    shared = {k: v for k, v in users.items() if len(v) > 1}
    if not shared:
        assert found == expected, (name, found, expected)
        assert total == sum(expected.values()), (name, total)
    assert any(n.op_type == "BatchNormalization" for n in graph.node) == training
    torch_total = sum(p.numel() for p in model.parameters())
    result = {"torch_modules": truth, "torch_total": torch_total, "folded": folded, "onnx_modules": found if shared else expected,
              "total": total, "shared": shared}
    with open(os.path.join(OUT, f"tree_{name}_expected.json"), "w") as f:
        json.dump(result, f, indent=1)
    return result


def main():
    torch.manual_seed(0)
    full_dir = sys.argv[sys.argv.index("--full") + 1] if "--full" in sys.argv else None
    image = torch.randn(1, 3, 32, 32)
    resnet = TinyResNet()
    fresh = TinyResNet().eval()
    randomize_batchnorms(resnet)
    perturb(resnet)
    export("resnet", resnet.eval(), image, OUT)
    export("resnet_fresh", fresh, image, OUT)
    export("resnet_train", resnet.train(), image, OUT,
           training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False)
    mobile = torchvision.models.MobileNetV2(
        num_classes=10, width_mult=0.25,
        inverted_residual_setting=[[1, 16, 1, 1], [6, 24, 2, 2]])
    randomize_batchnorms(mobile)
    perturb(mobile)
    export("mobilenet", mobile.eval(), image, OUT)
    tied = Tied().eval()
    perturb(tied)
    export("tied", tied, torch.randint(0, 50, (1, 7)), OUT)
    # A ReLU module called twice: its second call's scope is "/1_1" ("_1" after the module's
    # name, naming.cpp), which is module "1", not a module named "1_1".
    relu = nn.ReLU()
    seq = nn.Sequential(nn.Linear(8, 16), relu, nn.Linear(16, 16), relu, nn.Linear(16, 4)).eval()
    export("sequential", seq, torch.randn(1, 8), OUT)
    if full_dir:
        for name, model in (("resnet18", torchvision.models.resnet18(weights=None)),
                            ("mobilenet_v2", torchvision.models.mobilenet_v2(weights=None))):
            randomize_batchnorms(model)
            export(name, model.eval(), torch.randn(1, 3, 224, 224), full_dir)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
