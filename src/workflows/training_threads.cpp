#include "workflows/training_threads.h"

#include <algorithm>

namespace nnscope::workflows {

int busy_workers(const TrainingConfig& config) {
    return config.loader.transform.empty() ? 0 : std::max(0, config.loader.num_workers);
}

int automatic_training_threads(int available, int busy_workers, int reserved) {
    return std::max(1, available - std::max(0, reserved) - std::max(0, busy_workers));
}

} // namespace nnscope::workflows
