#pragma once
// What `summary` reports about a loaded model: its modules and tensors in state_dict order with
// their roles, and the totals torchinfo shows.

#include "engine/nn/module.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nnscope::cli {

struct ModuleRow {
    std::string path; // dotted; "" for the root
    std::string type;
    std::string arguments;   // extra_repr(), e.g. "in_features=784, out_features=512, bias=True"
    std::int64_t depth = 0;  // 0 for the root
    std::int64_t params = 0; // elements of the parameters in this module and below
};

struct TensorRow {
    std::string name;
    Shape shape;
    std::string dtype;
    bool is_parameter = true;
    bool trainable = true;
    std::int64_t numel = 0;
};

struct ModelTables {
    std::vector<ModuleRow> modules; // pre-order
    std::vector<TensorRow> tensors; // each module's parameters, then its buffers; shared once
    std::int64_t parameters = 0;
    std::int64_t buffers = 0;
    std::int64_t trainable = 0;
    std::int64_t non_trainable = 0;
};

ModelTables tabulate(const nn::Module& root);

} // namespace nnscope::cli
