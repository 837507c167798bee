#pragma once
// `nnscope-cli run`'s prediction mode: any runnable model on an image, a tensor file or a random
// tensor, printing the top-k classes (and one backward with --target / --label).

#include "cli/run_flags.h"

#include <optional>
#include <string>

namespace nnscope::cli {

int run_predict(const std::string& file, const std::optional<std::string>& input,
                const std::optional<std::string>& output, const PredictFlags& flags);

} // namespace nnscope::cli
