"""Golden files for tst_onnx: ONNX models written by torch.onnx.export (PyTorch 1.13) at three
opsets, one saved with external data by onnx.save_model, one built with onnx.helper whose
initializers use the typed fields (float_data, int32_data for 16/8-bit types, int64_data,
double_data), and small hostile variants. Beside each model:
  <name>_expected.safetensors  every readable initializer's values (read back by onnx's own
                               numpy_helper; those named after state_dict entries are checked
                               equal to the PyTorch module's state_dict here)
  <name>_expected.json         what onnx's Python API reads: ir_version, producer, opsets,
                               graph inputs/outputs with dims, nodes with op type and attributes

Run: /usr/bin/python3 tests/golden/gen_onnx.py (writes tests/golden/onnx/). Needs python3-onnx.
"""

import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenlib import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "onnx")


class Net(nn.Module):
    """Nested Sequentials so that node names carry two scopes ("/features/features.0/Conv"); the
    BatchNorm follows a ReLU so that export keeps it (and its buffers) instead of fusing it."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(4), nn.MaxPool2d(2)
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(4 * 4 * 4, 3))

    def forward(self, x):
        return self.classifier(self.features(x))


def attribute_json(a):
    kind = helper.get_attribute_value(a)
    if a.type == onnx.AttributeProto.INT:
        return a.i
    if a.type == onnx.AttributeProto.FLOAT:
        return float(np.float32(a.f))
    if a.type == onnx.AttributeProto.INTS:
        return list(a.ints)
    if a.type == onnx.AttributeProto.FLOATS:
        return [float(np.float32(v)) for v in a.floats]
    if a.type == onnx.AttributeProto.STRING:
        return a.s.decode()
    if a.type == onnx.AttributeProto.STRINGS:
        return [s.decode() for s in a.strings]
    if a.type == onnx.AttributeProto.TENSOR:
        return {"tensor_dtype": a.t.data_type, "dims": list(a.t.dims)}
    if a.type == onnx.AttributeProto.GRAPH:
        return {"graph": a.g.name, "nodes": len(a.g.node)}
    return str(kind)


def value_json(v):
    t = v.type.tensor_type
    dims = []
    for d in t.shape.dim:
        dims.append(str(d.dim_value) if d.HasField("dim_value") else (d.dim_param or "?"))
    return {"name": v.name, "elem_type": t.elem_type, "dims": dims}


def write_expected(name, model, check_state_dict=None):
    init_names = {i.name for i in model.graph.initializer}
    expected = {
        "ir_version": model.ir_version,
        "producer_name": model.producer_name,
        "producer_version": model.producer_version,
        "opsets": {(o.domain or "ai.onnx"): o.version for o in model.opset_import},
        "graph_name": model.graph.name,
        "inputs": [value_json(v) for v in model.graph.input if v.name not in init_names],
        "outputs": [value_json(v) for v in model.graph.output],
        "nodes": [
            {
                "name": n.name,
                "op_type": n.op_type,
                "inputs": list(n.input),
                "outputs": list(n.output),
                "attributes": {a.name: attribute_json(a) for a in n.attribute},
            }
            for n in model.graph.node
        ],
        "initializers": [
            {"name": i.name, "data_type": i.data_type, "dims": list(i.dims)}
            for i in model.graph.initializer
        ],
    }
    with open(os.path.join(OUT, name + "_expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    tensors = {}
    for init in model.graph.initializer:
        if init.data_type == TensorProto.STRING:
            continue
        array = numpy_helper.to_array(init, base_dir=OUT)
        if init.data_type == TensorProto.BFLOAT16:  # numpy has no bfloat16: read as float32
            t = torch.from_numpy(array.copy()).to(torch.bfloat16)
            assert torch.equal(t.float(), torch.from_numpy(array)), init.name
        else:
            t = torch.from_numpy(array.copy())
        tensors[init.name] = t
        if check_state_dict and init.name in check_state_dict:
            assert torch.equal(check_state_dict[init.name], t), init.name
    save_file(tensors, os.path.join(OUT, name + "_expected.safetensors"))


def export_net(opset):
    torch.manual_seed(opset)
    net = Net()
    # Non-trivial BatchNorm statistics, then eval mode as exporters use.
    with torch.no_grad():
        net(torch.randn(8, 1, 8, 8))
    net.train()
    net(torch.randn(8, 1, 8, 8))
    net.eval()
    name = f"net_opset{opset}"
    path = os.path.join(OUT, name + ".onnx")
    torch.onnx.export(
        net,
        torch.randn(1, 1, 8, 8),
        path,
        opset_version=opset,
        input_names=["image"],
        output_names=["logits"],
        dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}},
    )
    model = onnx.load(path)
    onnx.checker.check_model(model)
    write_expected(name, model, check_state_dict=net.state_dict())


def export_external():
    torch.manual_seed(1)
    mlp = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 2)).eval()
    path = os.path.join(OUT, "external.onnx")
    torch.onnx.export(mlp, torch.randn(1, 6), path, opset_version=13,
                      input_names=["x"], output_names=["y"])
    model = onnx.load(path)
    data = os.path.join(OUT, "external.onnx.data")
    if os.path.exists(data):  # save_model appends to an existing data file
        os.remove(data)
    onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                    location="external.onnx.data", size_threshold=0)
    model = onnx.load(path)  # loads the external data back, through onnx's own reader
    write_expected("external", model, check_state_dict=mlp.state_dict())


def typed_fields_model():
    """Initializers in the typed fields of TensorProto, attributes of every common kind, a
    subgraph, symbolic and unknown dims, model metadata."""
    half = np.array([1.5, -2.0, 65504.0, 0.0], dtype=np.float16)
    bf16 = torch.tensor([1.0, -3.5, 0.15625], dtype=torch.bfloat16)
    inits = [
        helper.make_tensor("typed.float", TensorProto.FLOAT, [2, 2], [0.5, -1.25, 3.0, 1e-3]),
        helper.make_tensor("typed.double", TensorProto.DOUBLE, [3], [1.0 / 3, -2.5, 1e100]),
        helper.make_tensor("typed.int64", TensorProto.INT64, [2], [-(2**40), 7]),
        helper.make_tensor("typed.int32", TensorProto.INT32, [3], [-5, 0, 2**31 - 1]),
        helper.make_tensor("typed.int16", TensorProto.INT16, [2], [-300, 300]),
        helper.make_tensor("typed.int8", TensorProto.INT8, [2], [-128, 127]),
        helper.make_tensor("typed.uint8", TensorProto.UINT8, [3], [0, 200, 255]),
        helper.make_tensor("typed.bool", TensorProto.BOOL, [3], [True, False, True]),
        # make_tensor stores float16 and bfloat16 as bit patterns in int32_data (checked below).
        helper.make_tensor("typed.float16", TensorProto.FLOAT16, [4], half.tolist()),
        helper.make_tensor("typed.bfloat16", TensorProto.BFLOAT16, [3], bf16.float().tolist()),
        helper.make_tensor("typed.scalar", TensorProto.FLOAT, [], [42.0]),
        helper.make_tensor("typed.empty", TensorProto.FLOAT, [0, 3], []),
        helper.make_tensor("raw.float", TensorProto.FLOAT, [2],
                           np.array([7.0, -8.5], dtype="<f4").tobytes(), raw=True),
        helper.make_tensor("labels", TensorProto.STRING, [2], [b"cat", b"dog"]),
    ]
    for t in inits:
        if t.data_type in (TensorProto.FLOAT16, TensorProto.BFLOAT16):
            assert not t.raw_data and len(t.int32_data) == t.dims[0], t.name
    assert list(inits[8].int32_data) == half.view(np.uint16).astype(np.int32).tolist()
    assert list(inits[9].int32_data) == bf16.view(torch.int16).to(torch.int32).bitwise_and(
        0xFFFF).tolist()
    then_graph = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["then_out"], name="then_id")], "then_body", [],
        [helper.make_tensor_value_info("then_out", TensorProto.FLOAT, None)])
    else_graph = helper.make_graph(
        [helper.make_node("Neg", ["x"], ["else_out"], name="else_neg")], "else_body", [],
        [helper.make_tensor_value_info("else_out", TensorProto.FLOAT, None)])
    nodes = [
        helper.make_node("Constant", [], ["c"], name="const",
                         value=helper.make_tensor("v", TensorProto.INT64, [2], [3, 4])),
        helper.make_node("LeakyRelu", ["x"], ["lrelu"], name="block/act/LeakyRelu", alpha=0.25),
        helper.make_node("Transpose", ["lrelu"], ["t"], name="block/perm/Transpose",
                         perm=[1, 0]),
        helper.make_node("ReduceSum", ["t", "c"], ["s"], name="", keepdims=0),
        helper.make_node("If", ["flag"], ["y"], name="branch", then_branch=then_graph,
                         else_branch=else_graph),
        helper.make_node("Resize", ["x", "", "scales"], ["r"], name="block/Resize",
                         mode="nearest", coordinate_transformation_mode="asymmetric"),
        helper.make_node("Split", ["x"], ["s1", "s2"], name="split", axis=1),
        helper.make_node("CustomOp", ["x"], ["z"], name="custom", domain="com.example",
                         floats=[0.5, 2.0], names=["a", "b"]),
    ]
    graph = helper.make_graph(
        nodes, "typed_graph",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4]),
         helper.make_tensor_value_info("flag", TensorProto.BOOL, []),
         helper.make_tensor_value_info("scales", TensorProto.FLOAT, [None])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None),
         helper.make_tensor_value_info("z", TensorProto.FLOAT16, ["batch", "n"])],
        initializer=inits, doc_string="a graph for reader tests")
    model = helper.make_model(
        graph, producer_name="nnscope-gen", producer_version="0.1", domain="org.nnscope",
        model_version=3, doc_string="typed fields and attributes",
        opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("com.example", 1)])
    helper.set_model_props(model, {"author": "gen_onnx.py", "license": "MIT"})
    path = os.path.join(OUT, "typed_fields.onnx")
    onnx.save_model(model, path)
    write_expected("typed_fields", onnx.load(path))


def hostile(name, tensor):
    graph = helper.make_graph([], "hostile", [], [], initializer=[tensor])
    model = helper.make_model(graph, producer_name="nnscope-gen",
                              opset_imports=[helper.make_opsetid("", 13)])
    with open(os.path.join(OUT, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())


def external_tensor(name, location, offset, length, dims=(4,)):
    t = TensorProto()
    t.name = name
    t.data_type = TensorProto.FLOAT
    t.dims.extend(dims)
    t.data_location = TensorProto.EXTERNAL
    for key, value in (("location", location), ("offset", offset), ("length", length)):
        if value is not None:
            entry = t.external_data.add()
            entry.key, entry.value = key, str(value)
    return t


def raw_tensor(name, dims, raw, typed_floats=()):
    """A float tensor built field by field: make_tensor refuses the inconsistent ones."""
    t = TensorProto()
    t.name = name
    t.data_type = TensorProto.FLOAT
    t.dims.extend(dims)
    if raw is not None:
        t.raw_data = raw
    t.float_data.extend(typed_floats)
    return t


def hostile_models():
    size = os.path.getsize(os.path.join(OUT, "external.onnx.data"))
    hostile("hostile_escape", external_tensor("w", "../../etc/passwd", 0, 16))
    hostile("hostile_absolute", external_tensor("w", "/etc/passwd", 0, 16))
    hostile("hostile_offset", external_tensor("w", "external.onnx.data", size - 8, 16))
    hostile("hostile_length", external_tensor("w", "external.onnx.data", 0, 12))
    hostile("hostile_missing", external_tensor("w", "no_such_file.bin", 0, 16))
    hostile("hostile_raw_size", raw_tensor("w", [2, 2], b"\0" * 12))
    hostile("hostile_typed_count", raw_tensor("w", [4], None, [1.0, 2.0]))
    # 2^40 x 2^40 elements overflow; 2^40 alone fits but the file holds no such data.
    hostile("hostile_overflow_dims", raw_tensor("w", [2**40, 2**40], b""))
    hostile("hostile_huge_dims", raw_tensor("w", [2**40], b"\0" * 8))
    hostile("hostile_negative_dims", raw_tensor("w", [-1, 4], b""))


def main():
    os.makedirs(OUT, exist_ok=True)
    for opset in (9, 13, 17):
        export_net(opset)
    export_external()
    typed_fields_model()
    hostile_models()
    print("wrote", OUT)


if __name__ == "__main__":
    main()
