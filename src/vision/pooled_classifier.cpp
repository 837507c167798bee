#include "vision/pooled_classifier.h"

#include "vision/vision_module.h"

namespace nnscope::vision {

Tensor PooledClassifier::forward(const Tensor& input) {
    Tensor x = run_child(*this, "features", input);
    x = run_child(*this, "avgpool", x);
    return run_child(*this, "classifier", x.flatten(1));
}

} // namespace nnscope::vision
