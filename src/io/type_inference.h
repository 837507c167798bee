#pragma once
// Module types guessed for files that name their tensors but not their classes: a plain
// state_dict in safetensors, .pt/.pth or .bin, ONNX initializers without nodes. Each module is
// judged by the tensors it holds directly (weight [64, 3, 7, 7] -> Conv2d, running_mean ->
// BatchNorm, weight_ih_l0 and weight_hh_l0 -> LSTM/GRU/RNN by their gate count, ...). A guess is
// never a fact: it lands in ModelDocument::inferred_types with its reason, and a module the file
// gives a type keeps it. Containers (Sequential, a ResNet block) hold no tensor of their own and
// stay untyped: their class is not in the names.

namespace nnscope::io {

struct ModelDocument;

// Fills each empty type in document.modules that the module's own tensors identify, records the
// reason in document.inferred_types and, for such a module, the constructor arguments its shapes
// fix (Linear's in_features, out_features and bias) in document.module_arguments, inferred as the
// type is. Tensors with the Unknown role (optimizer state) are not looked at. Linear in the number
// of tensors and modules.
void infer_module_types(ModelDocument& document);

} // namespace nnscope::io
