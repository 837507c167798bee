#pragma once
// One forward (and optionally one backward) of a model on an input, through module hooks (the
// mechanism of issue #9): every module's output, and after backward every module's output
// gradient (full backward hooks) and the input's gradient, recorded by module path.
//
// Memory: each recorded tensor is a detached copy (later in-place ops such as ReLU(inplace=True)
// cannot change it). Outputs and gradients together are kept up to `max_bytes`; past that a
// module keeps only its shape and `dropped` says so. The autograd graph is freed once backward
// returns, so what stays afterwards is the record alone.
// A module called more than once in one forward (a ReLU reused by a ResNet block) keeps its last
// call's output and the gradient of that output (the first of its backward hooks to fire).
// Cancellation: the flag is read in every module's forward pre-hook and backward hook; a set flag
// ends the run with RunCancelled between two modules.

#include "engine/nn/module.h"
#include "engine/tensor.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace nnscope::workflows {

enum class BackwardFrom : std::uint8_t {
    None,       // forward only
    ClassScore, // d(output[:, target].sum()) / d(everything)
    Loss,       // d(cross_entropy(output, label for every sample)) / d(everything), mean
};

struct RunRequest {
    BackwardFrom backward = BackwardFrom::None;
    std::int64_t target = 0; // the class (ClassScore) or the label (Loss)
    bool train = false;      // eval mode by default, as model.eval()
    std::size_t max_bytes = std::size_t{1} << 30;
    const std::atomic<bool>* cancel = nullptr;
    // Called on the running thread as each module's forward ends (its path), for progress.
    std::function<void(const std::string& path)> on_module;
};

struct ModuleRecord {
    std::string path; // "" is the root
    std::string type;
    Shape shape;   // of the output; empty until the module ran
    Tensor output; // undefined when not run or dropped
    Tensor grad;   // gradient of the output; undefined without backward or when none reached it
    bool ran = false;
    bool dropped = false; // over max_bytes: only the shape is kept
};

struct RunResult {
    Tensor input;                      // as fed to the model
    Tensor output;                     // detached
    Tensor input_grad;                 // after backward, when the input is floating point
    std::optional<double> objective;   // the class score (summed over the batch) or the loss
    std::vector<ModuleRecord> modules; // in named_modules() order (the module tree's)
    std::size_t kept_bytes = 0;

    const ModuleRecord* find(const std::string& path) const; // nullptr when absent
};

class RunCancelled : public std::runtime_error {
public:
    RunCancelled()
        : std::runtime_error("the run was cancelled") {}
};

// Throws RunCancelled, std::invalid_argument for a target or label outside the output's classes
// (or an output that is not [N, classes] when backward is asked), and whatever the model throws
// (with the failing module's path and input shapes).
RunResult run_model(nn::Module& model, const Tensor& input, const RunRequest& request = {});

} // namespace nnscope::workflows
