#!/usr/bin/env python3
"""PyTorch references for the ONNX files in ../shared/models/onnx (tst_onnx_shared_models).

Run with /usr/bin/python3. The files' graphs are small and fixed, so each is re-computed here
with torch.nn.functional from its own initializers (read with python3-onnx), on a fixed random
input. Writes tests/golden/onnx_shared/references.safetensors with "M.input" and "M.output<k>"
for M in burn_onnx_mnist, wonnx_opt-mnist, tract_keras_tf2_example, external_data and
burn_onnx_lstm (outputs: Y squeezed, Y_h, Y_c).
"""
import os

import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper

import goldenlib

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "shared", "models", "onnx"))
OUT = os.path.join(HERE, "onnx_shared")


def weights(path):
    model = onnx.load(path)  # external data is read from beside the file
    return {i.name: torch.from_numpy(numpy_helper.to_array(i).copy())
            for i in model.graph.initializer}


def burn_mnist(w, x):
    for k in (1, 2, 3):
        x = F.relu(F.conv2d(x, w[f"conv{k}.weight"], w[f"conv{k}.bias"]))
    x = F.batch_norm(x, w["norm1.running_mean"], w["norm1.running_var"], w["norm1.weight"],
                     w["norm1.bias"], False, 0.0, 1e-5)
    x = F.relu(F.linear(x.flatten(1), w["fc1.weight"], w["fc1.bias"]))
    x = F.linear(x, w["fc2.weight"], w["fc2.bias"])
    x = F.batch_norm(x, w["norm2.running_mean"], w["norm2.running_var"], w["norm2.weight"],
                     w["norm2.bias"], False, 0.0, 1e-5)
    return [F.log_softmax(x, 1)]


def wonnx_mnist(w, x):
    # SAME_UPPER with a 5x5 kernel, stride 1: two on each side.
    x = F.max_pool2d(F.relu(F.conv2d(x, w["Parameter5"], w["23"].reshape(-1), padding=2)), 2)
    x = F.max_pool2d(F.relu(F.conv2d(x, w["Parameter87"], w["24"].reshape(-1), padding=2)), 3)
    return [x.reshape(1, 256) @ w["Parameter193_reshape1"] + w["Parameter194"]]


def tract_keras(w, x):
    h = torch.relu(x @ w["sequential/main_input/MatMul/ReadVariableOp:0"] +
                   w["sequential/main_input/BiasAdd/ReadVariableOp:0"])
    return [torch.sigmoid(h @ w["sequential/dense_1/MatMul/ReadVariableOp:0"] +
                          w["sequential/dense_1/BiasAdd/ReadVariableOp:0"])]


def external(w, x):
    return [x @ w["weight"] + w["bias"]]


def burn_lstm(w, x):
    # ONNX stacks gates i, o, f, c; torch i, f, g(c), o.
    def reorder(t):
        i, o, f, c = t.chunk(4, 0)
        return torch.cat([i, f, c, o], 0)

    W, R, B = w["onnx::LSTM_110"][0], w["onnx::LSTM_111"][0], w["onnx::LSTM_112"][0]
    hidden = R.shape[1]
    lstm = torch.nn.LSTM(W.shape[1], hidden)
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(reorder(W))
        lstm.weight_hh_l0.copy_(reorder(R))
        lstm.bias_ih_l0.copy_(reorder(B[:4 * hidden]))
        lstm.bias_hh_l0.copy_(reorder(B[4 * hidden:]))
        y, (h, c) = lstm(x)
    return [y, h, c]


CASES = [
    ("burn_onnx_mnist", "burn_onnx_mnist.onnx", (1, 1, 28, 28), burn_mnist),
    ("wonnx_opt-mnist", "wonnx_opt-mnist.onnx", (1, 1, 28, 28), wonnx_mnist),
    ("tract_keras_tf2_example", "tract_keras_tf2_example.onnx", (3, 100), tract_keras),
    ("external_data", "external_data/external_data.onnx", (1, 4), external),
    ("burn_onnx_lstm", "burn_onnx_lstm.onnx", (5, 2, 4), burn_lstm),
]


def main():
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(1618)
    tensors = {}
    for name, file, shape, fn in CASES:
        path = os.path.join(MODELS, file)
        x = torch.rand(shape, generator=g)
        w = weights(path)
        tensors[f"{name}.input"] = x
        with torch.no_grad():
            for k, y in enumerate(fn(w, x)):
                tensors[f"{name}.output{k}"] = y
    goldenlib.save_file(tensors, os.path.join(OUT, "references.safetensors"))


if __name__ == "__main__":
    main()
