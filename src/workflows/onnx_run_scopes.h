#pragma once
// The browser's module tree of an ONNX graph shows the modules the exporter's scoped node names
// describe ("layer1.0.conv1", io/onnx/onnx_tree.h), while the graph runs one engine module per
// node. After a run, each such scope and each of its ancestors gets a record of its own: the
// output (and output gradient) of the last node that ran inside it, which is what the PyTorch
// module of that name returned — a ResNet block's scope holds its final Relu's output. The
// records share the node records' tensors, so they cost no memory.

#include "engine/nn/module.h"
#include "workflows/run_model.h"

namespace nnscope::workflows {

// `result` must come from run_model(model, ...). Does nothing for a model that is not an ONNX
// graph. A scope whose path is already a record's (a node module of that name) is left alone.
void add_onnx_scope_records(const nn::Module& model, RunResult& result);

} // namespace nnscope::workflows
