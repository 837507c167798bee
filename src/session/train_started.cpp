// What the window learns of a run once it is built: its modules and parameters in PyTorch's
// order, its size, its classes and data.

#include "data/dataset_part.h"
#include "session/train_job_state.h"

#include <algorithm>

namespace nnscope::session {

namespace {

std::int64_t depth_of(const std::string& path) {
    if (path.empty()) return 0;
    return 1 + std::count(path.begin(), path.end(), '.');
}

std::int64_t own_parameters(const nn::Module& module) {
    std::int64_t n = 0;
    for (const auto& [name, p] : module.named_parameters("", false))
        n += p.numel();
    return n;
}

} // namespace

TrainStarted make_train_started(workflows::TrainingRun& run) {
    TrainStarted started;
    for (const auto& [path, module] : run.model().named_modules())
        started.modules.push_back({path, module->type_name(), depth_of(path),
                                   own_parameters(*module), module->children().empty()});
    for (const auto& [name, p] : run.model().named_parameters())
        started.params.push_back(name);
    started.batches_per_epoch = run.batches_per_epoch();
    started.epochs = run.config().loader.epochs;
    const workflows::TrainData& data = run.data();
    started.classes = data.classes;
    started.class_names = data::class_names(*data.train);
    started.description = data.description;
    started.lr = run.learning_rate();
    started.images = data.vocab == nullptr;
    started.warnings = run.warnings();
    return started;
}

} // namespace nnscope::session
