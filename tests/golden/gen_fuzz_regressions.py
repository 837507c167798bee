"""Small hostile inputs for tst_fuzz_regressions, one per reader bug the fuzz targets (fuzz/) found
or that was found while writing them. Each is the smallest file of its kind that the fixed
readers must refuse (just past a limit); tst_fuzz_regressions also rebuilds the full-size inputs
that crashed (tens of thousands of levels) in code. The fuzz targets take these files as seeds.

  native_deep_modules.safetensors  architecture whose modules nest 200 deep (a stack overflow in
                                   the recursive parse at 50000)
  native_deep_lists.safetensors    architecture argument whose lists nest 200 deep (likewise)
  onnx_deep_scope.onnx             a node scope of 300 dotted parts (a 400 KB name asked for 2 GB
                                   of module paths)
  onnx_deep_initializer.onnx       an initializer name of 300 dotted parts (likewise)
  deep_name.safetensors            a plain safetensors tensor name of 300 dotted parts (likewise)

Run: /usr/bin/python3 tests/golden/gen_fuzz_regressions.py (writes tests/golden/fuzz_regressions/).
"""

import json
import os
import struct

from onnx import TensorProto, helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fuzz_regressions")


def safetensors_bytes(header):
    text = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<Q", len(text)) + text


def native(architecture):
    return safetensors_bytes(
        {"__metadata__": {"nnscope.architecture": architecture, "nnscope.seed": "0"}})


def deep_modules(depth):
    return '{"type":"Sequential","children":[["0",' * depth + '{"type":"ReLU"}' + "]]}" * depth


def deep_lists(depth):
    return '{"type":"Linear","in_features":' + "[" * depth + "]" * depth + "}"


def dotted(parts):
    return ".".join(["a"] * parts)


def onnx_model(node_name, initializer_name):
    node = helper.make_node("Relu", ["x"], ["y"], name=node_name)
    inits = [helper.make_tensor(initializer_name, TensorProto.FLOAT, [1], [1.0])]
    graph = helper.make_graph(
        [node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])], initializer=inits)
    return helper.make_model(graph).SerializeToString()


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {
        "native_deep_modules.safetensors": native(deep_modules(200)),
        "native_deep_lists.safetensors": native(deep_lists(200)),
        "onnx_deep_scope.onnx": onnx_model("/" + dotted(300) + "/Relu", "w"),
        "onnx_deep_initializer.onnx": onnx_model("/Relu", dotted(300)),
        "deep_name.safetensors": safetensors_bytes(
            {dotted(300): {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}) + bytes(4),
    }
    for name, data in files.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
