#pragma once
// An image tensor as a QImage for the lab's previews: data::to_display_uint8 (floats in [0, 1]
// x 255, other ranges stretched), one channel as grey, three as RGB; the first channel of any
// other count. A copy: the QImage never points into the tensor.

#include "engine/tensor.h"

#include <QImage>

namespace nnscope::ui {

QImage tensor_image(const Tensor& image);

} // namespace nnscope::ui
