#pragma once
// The model the builder inspector's tests build (issue #17): Sequential(Flatten, LazyLinear(32),
// ReLU, Linear(32, 10)) with a non-persistent buffer on the root, so one spec shows a lazy
// module fixed by the dry run, a Linear that apply's rules change, and a buffer state_dict
// leaves out.

namespace nnscope::test {

inline constexpr const char* kBuilderSpec = R"({"type": "Sequential", "children": [
    ["0", {"type": "Flatten"}],
    ["1", {"type": "LazyLinear", "out_features": 32}],
    ["2", {"type": "ReLU"}],
    ["3", {"type": "Linear", "in_features": 32, "out_features": 10}]],
  "tensors": [{"name": "noise", "kind": "buffer", "shape": [3], "init": "rand",
               "persistent": false}]})";

} // namespace nnscope::test
