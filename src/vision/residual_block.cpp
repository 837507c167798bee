#include "vision/residual_block.h"

#include "engine/ops/elementwise.h"
#include "vision/vision_module.h"

namespace nnscope::vision {

Tensor ResidualBlock::forward(const Tensor& input) {
    Tensor result = run_child(*this, "block", input);
    if (!use_res_connect_) return result;
    if (nn::Module* drop = find_child(*this, "stochastic_depth")) result = (*drop)(result);
    return add(result, input);
}

} // namespace nnscope::vision
