// Saving an interactive run's model at any moment, also while it waits inside a step: the
// parameters are those the step began with (the optimizer has not stepped yet).

#include "io/pytorch_writer.h"
#include "session/train_job_state.h"

#include <string>

namespace nnscope::session {

CheckpointSaved save_checkpoint(workflows::TrainingRun& run, const CheckpointRequest& request) {
    CheckpointSaved saved;
    saved.request = request;
    saved.step = run.global_step();
    if (request.path.empty()) {
        saved.error = "no file name was given for the checkpoint";
        return saved;
    }
    try {
        if (request.format == CheckpointFormat::Native) {
            run.save(request.path, {{"nnscope.step", std::to_string(saved.step)},
                                    {"nnscope.epoch", std::to_string(run.epoch())}});
        } else {
            // torch.save(model.state_dict(), path): what torch.load(weights_only=True) reads.
            const nn::StateDict state = run.model().state_dict();
            io::save_pytorch_state_dict(request.path, nn::NamedTensors(state.begin(), state.end()));
        }
    } catch (const std::exception& e) {
        saved.error = e.what();
    }
    return saved;
}

} // namespace nnscope::session
