#pragma once
// A tensor shape given on the command line, "2,1,28,28".

#include "engine/tensor.h"

#include <string>

namespace nnscope::cli {

// Throws UsageError naming the flag for anything but positive integers separated by commas.
Shape parse_shape_flag(const std::string& text, const std::string& flag);

} // namespace nnscope::cli
