#!/usr/bin/env python3
"""Small ONNX graphs that nnscope must refuse with clear messages (tst_onnx_refusals).

Run with /usr/bin/python3 (python3-onnx). Writes tests/golden/onnx_refusals/*.onnx:
  unsupported.onnx   a Relu that runs, and three nodes outside the supported set: an unknown
                     operator (NonMaxSuppression "nms"), a Resize in cubic mode ("upsample") and
                     a node of another domain (com.microsoft FusedGemm "fused")
  missing_input.onnx an Add reading a value nothing produces ("ghost")
  cycle.onnx         two nodes that feed each other
  twice.onnx         two nodes writing the same value
  no_output.onnx     a graph output no node produces
  shapes.onnx        x [2, 3] -> MatMul with w [4, 5] (mismatched inner dims) and a declared input
                     shape the caller can violate
"""
import os

import onnx
from onnx import TensorProto, helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "onnx_refusals")


def value(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def save(name, nodes, inputs, outputs, initializers=(), opsets=(("", 13),)):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid(d, v) for d, v in opsets],
                              producer_name="gen_onnx_refusals")
    model.ir_version = 8
    onnx.save(model, os.path.join(OUT, name + ".onnx"))


def main():
    os.makedirs(OUT, exist_ok=True)
    save("unsupported", [
        helper.make_node("Relu", ["x"], ["r"], name="relu"),
        helper.make_node("NonMaxSuppression", ["r", "r"], ["n"], name="nms"),
        helper.make_node("Resize", ["r", "", "scales"], ["u"], name="upsample", mode="cubic"),
        helper.make_node("FusedGemm", ["r", "r"], ["y"], name="fused", domain="com.microsoft"),
    ], [value("x", [1, 1, 2, 2])], [value("y", None), value("u", None), value("n", None)],
        [helper.make_tensor("scales", TensorProto.FLOAT, [4], [1, 1, 2, 2])],
        opsets=(("", 13), ("com.microsoft", 1)))
    save("missing_input", [helper.make_node("Add", ["x", "ghost"], ["y"], name="add")],
         [value("x", [2])], [value("y", [2])])
    save("cycle", [
        helper.make_node("Add", ["x", "b"], ["a"], name="first"),
        helper.make_node("Relu", ["a"], ["b"], name="second"),
    ], [value("x", [2])], [value("a", [2])])
    save("twice", [
        helper.make_node("Relu", ["x"], ["y"], name="one"),
        helper.make_node("Neg", ["x"], ["y"], name="two"),
    ], [value("x", [2])], [value("y", [2])])
    save("no_output", [helper.make_node("Relu", ["x"], ["y"], name="relu")],
         [value("x", [2])], [value("z", [2])])
    save("shapes", [helper.make_node("MatMul", ["x", "w"], ["y"], name="product")],
         [value("x", [2, 3])], [value("y", None)],
         [helper.make_tensor("w", TensorProto.FLOAT, [4, 5], [0.5] * 20)])


if __name__ == "__main__":
    main()
