#pragma once
// Job kind: run an opened model on an input (issue #16's Run panel). The request names the model
// file (and --architecture for a state_dict), the input (an image with its preprocessing, a data
// set sample, a random tensor of the model's input shape, a tensor from a safetensors file) and
// the backward; the answer is a RunModelResultPtr: every module's output and output gradient by
// module path (workflows::run_model, bounded by max_bytes), the input, its saliency and the top-k
// predictions with class names; or RunModelFailed with the message.
//
// One step: the forward (and backward) reads the cancel flag in every module's hook, so a newer
// request or a cancel ends it between two modules and nothing is sent. The opened model is kept
// between runs of the same file (and architecture), so running it again on another input does not
// read it again; a file changed on disk is read again.

#include "io/file_identity.h"
#include "session/job.h"
#include "workflows/image_input.h"
#include "workflows/predictions.h"
#include "workflows/run_input.h"
#include "workflows/run_model.h"
#include "workflows/runnable_model.h"

#include <QString>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::session {

struct RunModelRequest {
    enum class Input { Image, DatasetSample, Random, TensorFile };

    std::string model;        // a model file, or mlp / cnn
    std::string architecture; // "" unless a state_dict is paired with one
    bool strict = true;       // with an architecture: load_state_dict(strict=...)
    Input input = Input::Random;
    std::string input_path; // Image / TensorFile / DatasetSample (its configuration JSON)
    workflows::ImagePreprocess preprocess = workflows::image_preset("imagenet");
    Tensor image; // Image: uint8 [C, H, W] pixels decoded by the window (else read
                  // from input_path as PNG)
    data::DataLoaderConfig dataset; // DatasetSample
    std::int64_t sample = 0;
    std::uint64_t seed = 0;  // Random
    std::string tensor_name; // TensorFile: "" picks "input" or the only tensor
    workflows::BackwardFrom backward = workflows::BackwardFrom::None;
    std::int64_t target = 0;
    // The backward's class is the input's label (a data set sample's) instead of `target`; an
    // input without a label fails the run saying so.
    bool target_is_label = false;
    std::int64_t topk = 5;
    std::size_t max_bytes = std::size_t{512} << 20;
    std::filesystem::path resources_dir; // where imagenet_classes.txt is
};

struct RunModelResult {
    std::string model_kind; // RunnableModel::kind
    // With an architecture: what load_state_dict returned, as PyTorch prints it
    // ("<All keys matched successfully>", "_IncompatibleKeys(missing_keys=[...], ...)").
    std::string load_report;
    workflows::RunInput input;
    workflows::RunResult run;
    std::vector<workflows::Prediction> predictions;
    Tensor saliency; // float32 [H, W] after backward on an image-shaped input; else undefined
    workflows::BackwardFrom backward = workflows::BackwardFrom::None;
    std::optional<std::int64_t> target; // the class the backward started from
    double milliseconds = 0;
};
using RunModelResultPtr = std::shared_ptr<const RunModelResult>;

struct RunModelFailed {
    QString message;
};

class RunModelJob : public Job<RunModelRequest, RunModelResultPtr, RunModelFailed> {
public:
    Step begin(const RunModelRequest& request, const JobRun& run) override;

private:
    workflows::RunnableModel& model(const RunModelRequest& request);

    std::optional<workflows::RunnableModel> model_;
    std::string model_key_;
    io::FileIdentity model_identity_;
};

// The input a request asks for, read on the calling thread (the job's, or a test's).
workflows::RunInput read_run_input(const RunModelRequest& request,
                                   const workflows::RunnableModel& model);

} // namespace nnscope::session
