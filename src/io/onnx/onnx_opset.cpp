#include "io/onnx/onnx_opset.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace nnscope::io {

namespace {

// For the supported operators that existed before opset 7: the newest version at or below 7
// (ONNX's docs/Changelog.md). An operator means the same at `opset` as at 7 when that version
// is at most `opset`. Operators that changed at 7 (Add, Sub, Mul, Div, Pow, Gemm, AveragePool,
// BatchNormalization, Dropout, Equal, Less, Greater, LSTM, GRU) are left out: at an older
// opset they mean something the kernels do not implement.
struct Since {
    std::string_view op;
    int version;
};
constexpr std::array kVersionAtOpset7{
    Since{"Abs", 6},
    Since{"Cast", 6},
    Since{"Clip", 6},
    Since{"Concat", 4},
    Since{"Constant", 1},
    Since{"Conv", 1},
    Since{"ConvTranspose", 1},
    Since{"Exp", 6},
    Since{"Flatten", 1},
    Since{"Gather", 1},
    Since{"GlobalAveragePool", 1},
    Since{"HardSigmoid", 6},
    Since{"Identity", 1},
    Since{"InstanceNormalization", 6},
    Since{"LeakyRelu", 6},
    Since{"Log", 6},
    Since{"LogSoftmax", 1},
    Since{"MatMul", 1},
    Since{"MaxPool", 1},
    Since{"Neg", 6},
    Since{"Not", 1},
    Since{"Pad", 2},
    Since{"Reciprocal", 6},
    Since{"ReduceMax", 1},
    Since{"ReduceMean", 1},
    Since{"ReduceSum", 1},
    Since{"Relu", 6},
    Since{"Reshape", 5},
    Since{"Shape", 1},
    Since{"Sigmoid", 6},
    Since{"Size", 1},
    Since{"Slice", 1},
    Since{"Softmax", 1},
    Since{"Split", 2},
    Since{"Sqrt", 6},
    Since{"Squeeze", 1},
    Since{"Tanh", 6},
    Since{"Tile", 6},
    Since{"Transpose", 1},
    Since{"Unsqueeze", 1},
};

} // namespace

std::optional<int> onnx_kernel_opset(std::string_view op_type, int opset) {
    if (opset >= 7 && opset <= 17) return opset;
    if (opset < 1 || opset > 17) return std::nullopt;
    const auto it = std::find_if(kVersionAtOpset7.begin(), kVersionAtOpset7.end(),
                                 [&](const Since& s) { return s.op == op_type; });
    if (it == kVersionAtOpset7.end() || it->version > opset) return std::nullopt;
    return 7;
}

} // namespace nnscope::io
