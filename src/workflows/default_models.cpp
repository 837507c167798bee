#include "workflows/default_models.h"

namespace nnscope::workflows {

namespace {

// Written as PyTorch's constructors would report their arguments (every argument given), the
// same JSON resources/models/generate.py writes into the bundled files.
constexpr std::string_view mlp_json = R"({"type": "Sequential", "children": [
 ["0", {"type": "Flatten", "start_dim": 1, "end_dim": -1}],
 ["1", {"type": "Linear", "in_features": 784, "out_features": 512, "bias": true}],
 ["2", {"type": "ReLU", "inplace": false}],
 ["3", {"type": "Linear", "in_features": 512, "out_features": 256, "bias": true}],
 ["4", {"type": "ReLU", "inplace": false}],
 ["5", {"type": "Linear", "in_features": 256, "out_features": 10, "bias": true}]]})";

constexpr std::string_view cnn_json = R"({"type": "Sequential", "children": [
 ["0", {"type": "Conv2d", "in_channels": 1, "out_channels": 16, "kernel_size": [3, 3],
        "stride": [1, 1], "padding": [1, 1], "dilation": [1, 1], "groups": 1, "bias": true,
        "padding_mode": "zeros"}],
 ["1", {"type": "ReLU", "inplace": false}],
 ["2", {"type": "MaxPool2d", "kernel_size": 2, "stride": 2, "padding": 0, "dilation": 1,
        "return_indices": false, "ceil_mode": false}],
 ["3", {"type": "Conv2d", "in_channels": 16, "out_channels": 32, "kernel_size": [3, 3],
        "stride": [1, 1], "padding": [1, 1], "dilation": [1, 1], "groups": 1, "bias": true,
        "padding_mode": "zeros"}],
 ["4", {"type": "ReLU", "inplace": false}],
 ["5", {"type": "MaxPool2d", "kernel_size": 2, "stride": 2, "padding": 0, "dilation": 1,
        "return_indices": false, "ceil_mode": false}],
 ["6", {"type": "Flatten", "start_dim": 1, "end_dim": -1}],
 ["7", {"type": "Linear", "in_features": 1568, "out_features": 10, "bias": true}]]})";

} // namespace

std::optional<std::string> default_model_architecture(std::string_view name) {
    if (name == "mlp") return std::string(mlp_json);
    if (name == "cnn") return std::string(cnn_json);
    return std::nullopt;
}

io::NativeModel load_model(const std::string& name_or_path) {
    if (auto json = default_model_architecture(name_or_path))
        return io::build_native_model(io::parse_architecture(*json), 0);
    return io::load_native_model(name_or_path);
}

} // namespace nnscope::workflows
