#pragma once
// `nnscope-cli run` with named inputs (issue #17): FILE is an operation (`op:gather`, with
// `--arg dim=1`) or a model whose root takes several tensors (a loss: input and target), and
// each `--input NAME=IN.safetensors[:TENSOR]` gives one of them by PyTorch's argument name
// (`--input IN.safetensors` gives every tensor of IN named so). "output" and, with --backward,
// "grad.<name>" for the floating inputs (and "grad.<param>" for a model) go to OUT as in the
// one-input mode; "grad_output", when given, is backpropagated instead of ones.

#include "io/safetensors.h"

#include <string>
#include <vector>

namespace nnscope::cli {

struct NamedRun {
    std::string file;                // "op:NAME" or a model
    std::vector<std::string> inputs; // the --input values, in order
    std::vector<std::string> args;   // the --arg KEY=VALUE values
    std::string output;
    bool backward = false;
    bool train = false;
    std::string architecture;
};

// Whether the call is for this mode: an op, several --input, or one of the NAME=... form.
bool is_named_run(const std::string& file, const std::vector<std::string>& inputs);

int run_named(const NamedRun& run);

// The first NaN (or infinity) of a floating tensor, as a message; empty when all are finite.
std::string non_finite(const Tensor& t);

// The tensor `name` of a tensor file; std::invalid_argument naming the file's tensors when it is
// absent, or when it holds a NaN or an infinity.
Tensor read_input_tensor(const io::SafetensorsFile& file, const std::string& name);

} // namespace nnscope::cli
