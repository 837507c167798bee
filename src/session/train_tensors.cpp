// The tensors of one hook event of the paused step as the window inspects them: detached copies
// kept while stepping, and their snapshots (statistics, histogram, a 2-D slice) made here in the
// worker; a conv output's feature maps of one sample as a kernel grid.

#include "engine/autograd/grad_mode.h"
#include "engine/tensor.h"
#include "io/model_document.h"
#include "session/train_job_state.h"

#include <string>

namespace nnscope::session {

namespace {

std::vector<Tensor> detached(const std::vector<Tensor>& tensors) {
    std::vector<Tensor> copies;
    copies.reserve(tensors.size());
    for (const Tensor& t : tensors)
        copies.push_back(t.defined() ? t.detach().clone() : Tensor());
    return copies;
}

// What PyTorch's hook calls the tensor: "input[0]", "output", "grad_input[1]", "grad".
std::string tensor_name(const workflows::HookEvent& event, bool output, std::size_t index) {
    if (workflows::is_tensor_hook(event.kind)) return "grad";
    const bool backward = workflows::is_backward(event.kind);
    if (!backward && output) return "output";
    const std::string base = backward ? (output ? "grad_output" : "grad_input") : "input";
    return base + "[" + std::to_string(index) + "]";
}

std::vector<TensorSnapshot> snapshots(const workflows::HookEvent& event,
                                      const std::vector<Tensor>& tensors, bool output,
                                      const std::atomic<bool>* cancel) {
    std::vector<TensorSnapshot> out;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        if (!tensors[i].defined()) continue; // Python's None
        io::TensorEntry entry;
        entry.name = tensor_name(event, output, i);
        entry.shape = tensors[i].shape();
        entry.dtype = tensors[i].dtype();
        out.push_back(make_tensor_snapshot(entry, tensors[i], SnapshotRequest{}, cancel));
    }
    return out;
}

} // namespace

workflows::HookEvent shapes_only(const workflows::HookEvent& event) {
    workflows::HookEvent copy = event;
    copy.inputs.clear();
    copy.outputs.clear();
    return copy;
}

workflows::HookEvent detached_copy(const workflows::HookEvent& event) {
    autograd::NoGradGuard no_grad;
    workflows::HookEvent copy = shapes_only(event);
    copy.inputs = detached(event.inputs);
    copy.outputs = detached(event.outputs);
    return copy;
}

TrainTensors make_train_tensors(const TensorsRequest& request, const workflows::HookEvent& event,
                                const std::atomic<bool>* cancel) {
    autograd::NoGradGuard no_grad;
    TrainTensors answer;
    answer.request = request;
    answer.event = shapes_only(event);
    answer.inputs = snapshots(event, event.inputs, false, cancel);
    answer.outputs = snapshots(event, event.outputs, true, cancel);
    const bool maps = event.kind == workflows::HookKind::Forward && !event.outputs.empty() &&
                      event.outputs[0].defined() && event.outputs[0].dim() == 4;
    if (maps) {
        const Tensor& output = event.outputs[0];
        if (request.sample < 0 || request.sample >= output.shape()[0])
            throw std::invalid_argument("sample " + std::to_string(request.sample) +
                                        " is outside the batch of " +
                                        std::to_string(output.shape()[0]));
        // [C, H, W] as C one-channel "kernels" [C, 1, H, W]: the grid shows each channel's map.
        const Tensor sample = output.select(0, request.sample).unsqueeze(1).contiguous();
        io::TensorEntry entry;
        entry.name = "output[" + std::to_string(request.sample) + "]";
        entry.shape = sample.shape();
        entry.dtype = sample.dtype();
        answer.feature_maps = make_tensor_snapshot(entry, sample, SnapshotRequest{}, cancel);
    }
    return answer;
}

} // namespace nnscope::session
