#include "session/run_model_job.h"

#include "workflows/onnx_run_scopes.h"

#include <QElapsedTimer>

namespace nnscope::session {

namespace {

std::int64_t image_channels_of(const workflows::RunnableModel& model) {
    const auto& shape = model.input_shape;
    return shape && shape->size() == 4 && (*shape)[1] == 1 ? 1 : 3;
}

} // namespace

workflows::RunInput read_run_input(const RunModelRequest& request,
                                   const workflows::RunnableModel& model) {
    using Input = RunModelRequest::Input;
    switch (request.input) {
    case Input::Image:
        if (request.image.defined())
            return workflows::image_run_input(
                request.image, request.preprocess, image_channels_of(model),
                std::filesystem::path(request.input_path).filename().string());
        return workflows::image_run_input(request.input_path, request.preprocess,
                                          image_channels_of(model));
    case Input::DatasetSample:
        return workflows::dataset_run_input(request.dataset, request.sample);
    case Input::Random:
        if (!model.input_shape)
            throw std::invalid_argument("the model's input shape is unknown: pick an image or a "
                                        "tensor file");
        return workflows::random_run_input(*model.input_shape, request.seed);
    case Input::TensorFile:
        return workflows::safetensors_run_input(request.input_path, request.tensor_name,
                                                model.input_shape);
    }
    throw std::logic_error("read_run_input: unknown input kind");
}

workflows::RunnableModel& RunModelJob::model(const RunModelRequest& request) {
    const std::string key =
        request.model + '\n' + request.architecture + (request.strict ? "" : "\nnon-strict");
    const auto identity = io::FileIdentity::of(request.model);
    if (!model_ || key != model_key_ || (identity && *identity != model_identity_)) {
        model_.reset();
        workflows::StateDictLoad load;
        load.strict = request.strict;
        model_ = workflows::open_runnable_model(request.model, request.architecture, load);
        model_key_ = key;
        model_identity_ = identity.value_or(io::FileIdentity{});
    }
    return *model_;
}

Step RunModelJob::begin(const RunModelRequest& request, const JobRun& run) {
    try {
        QElapsedTimer timer;
        timer.start();
        workflows::RunnableModel& runnable = model(request);
        if (run.cancelled()) return Step::Done;
        auto result = std::make_shared<RunModelResult>();
        result->model_kind = runnable.kind;
        if (runnable.loaded) result->load_report = nn::repr(*runnable.loaded);
        result->input = read_run_input(request, runnable);
        workflows::RunRequest how;
        how.backward = request.backward;
        how.target = request.target;
        if (request.target_is_label && request.backward != workflows::BackwardFrom::None) {
            if (!result->input.label)
                throw std::invalid_argument(result->input.description +
                                            " has no label: choose the class of the backward");
            how.target = *result->input.label;
        }
        result->backward = request.backward;
        if (request.backward != workflows::BackwardFrom::None) result->target = how.target;
        how.max_bytes = request.max_bytes;
        how.cancel = run.cancelFlag();
        result->run = workflows::run_model(*runnable.module, result->input.input, how);
        workflows::add_onnx_scope_records(*runnable.module, result->run);
        const Tensor& out = result->run.output;
        if (out.dim() == 2 && out.size(0) >= 1) {
            std::vector<std::string> names;
            try {
                names = workflows::class_names_for(out.size(1), result->input.class_names,
                                                   request.resources_dir);
            } catch (const std::runtime_error&) {
                // No class names file: the classes show by index.
            }
            result->predictions = workflows::top_k(out, request.topk, names);
        }
        if (result->run.input_grad.defined() && result->run.input_grad.dim() == 4)
            result->saliency = workflows::saliency_map(result->run.input_grad);
        result->milliseconds = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        send(run, RunModelResultPtr(std::move(result)));
    } catch (const workflows::RunCancelled&) {
        // A newer request or a cancel: nothing is sent.
    } catch (const std::exception& e) {
        send(run, RunModelFailed{QString::fromStdString(e.what())});
    }
    return Step::Done;
}

} // namespace nnscope::session
