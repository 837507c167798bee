#pragma once
// The model builder's forward table (issue #17), in torchinfo's spirit: one forward of a model
// on a zero input of a given shape, through hooks, and per module (in named_modules() order, the
// tree's) what it was given and gave, its parameters, its multiply-accumulates and whether it
// trains. It shows the rules a learner meets:
//   - a LazyLinear's in_features is fixed by the first input it sees (its row says to what);
//   - a container's children run only where a forward calls them: rows that never ran say so,
//     and ModuleList / ModuleDict, which have no forward, stop the run with PyTorch's error;
//   - an error inside a module (a shape that does not fit) stops the table at that module, with
//     the message and the module's path.
// The forward runs in eval mode without autograd; the module is changed only as a forward
// changes it (a LazyLinear becomes a Linear): run it on a fresh build of the model.
//
// Mult-adds: for Linear and the convolutions, output elements per output channel times the
// weight's elements (torchinfo's count for them); 0 for every other module.

#include "engine/nn/module.h"
#include "engine/tensor.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::workflows {

struct DryRunRow {
    std::string path;                // "" the root
    int depth = 0;                   // 0 the root
    std::string type;                // after the run (a LazyLinear that ran is a Linear)
    std::vector<Shape> input_shapes; // of the last call
    Shape output_shape;              // of the last call
    int calls = 0;                   // 0: never ran
    std::int64_t own_parameters = 0; // elements of the module's own parameters
    std::int64_t parameters = 0;     // with its descendants'
    bool trainable = false;          // some parameter of its subtree requires grad
    std::int64_t mult_adds = 0;      // over all its calls
    std::string note;                // why it did not run, how a lazy module was fixed, ...
};

struct DryRun {
    Shape input_shape;
    std::vector<DryRunRow> rows;
    Shape output_shape;               // empty when the forward did not finish
    std::optional<std::string> error; // where and why the forward stopped
    std::int64_t total_parameters = 0;
    std::int64_t trainable_parameters = 0;
    std::int64_t total_mult_adds = 0;
};

// `dtype` Int64 gives a zero index tensor (for an Embedding first). Throws std::invalid_argument
// for an empty shape or a dimension below 0; everything the model throws is caught into `error`.
DryRun dry_run(nn::Module& model, const Shape& input_shape, DType dtype = DType::Float32);

// Each row's layer as torchinfo names it, "name (Type: depth-idx)" (the root: its type alone),
// idx counting the rows at that depth since the last shallower one; without the indentation.
std::vector<std::string> dry_run_layer_labels(const DryRun& run);

// The table as text, torchinfo-like (Layer (type:depth-idx), Input Shape, Output Shape, Param #,
// Mult-Adds, Trainable), then the totals and the error, for the CLI and tests.
std::string format_dry_run(const DryRun& run);

} // namespace nnscope::workflows
