#include "session/run_snapshot_job.h"

#include "io/model_document.h"

#include <exception>
#include <stdexcept>

namespace nnscope::session {

std::string run_tensor_name(const std::string& module, bool gradient) {
    return (module.empty() ? std::string("(model)") : module) +
           (gradient ? " \u2014 gradient" : " \u2014 output");
}

namespace {

// The recorded tensor, or why there is none.
const Tensor* run_tensor(const RunModelResultPtr& result, const std::string& module, bool gradient,
                         QString* problem) {
    const workflows::ModuleRecord* record = result ? result->run.find(module) : nullptr;
    if (!record) {
        *problem = QStringLiteral("the run recorded nothing for this module");
        return nullptr;
    }
    const Tensor& tensor = gradient ? record->grad : record->output;
    if (!tensor.defined()) {
        *problem = gradient && !record->dropped
                       ? QStringLiteral("no gradient: run with a backward")
                       : QStringLiteral("not kept: the run's tensors passed the memory bound");
        return nullptr;
    }
    return &tensor;
}

} // namespace

Step RunSnapshotJob::begin(const RunSnapshotRequest& request, const JobRun& run) {
    const std::string name = run_tensor_name(request.module, request.gradient);
    const QString qname = QString::fromStdString(name);
    QString problem;
    const Tensor* found = run_tensor(request.result, request.module, request.gradient, &problem);
    if (!found) {
        send(run, SnapshotFailed{qname, problem});
        return Step::Done;
    }
    const Tensor& tensor = *found;
    try {
        io::TensorEntry entry;
        entry.name = name;
        entry.shape = tensor.shape();
        entry.dtype = tensor.dtype();
        entry.role = request.gradient ? io::TensorRole::OutputGradient : io::TensorRole::Output;
        TensorSnapshot snapshot =
            make_tensor_snapshot(entry, tensor, request.request, run.cancelFlag());
        snapshot.module = request.module;
        send(run, std::move(snapshot));
    } catch (const SnapshotCancelled&) {
        // A newer request replaced this one; it is on its way.
    } catch (const std::exception& e) {
        send(run, SnapshotFailed{qname, QString::fromStdString(e.what())});
    }
    return Step::Done;
}

Step RunSliceJob::begin(const RunSliceRequest& request, const JobRun& run) {
    const QString qname = QString::fromStdString(request.slice.tensor);
    QString problem;
    const Tensor* tensor = run_tensor(request.result, request.module, request.gradient, &problem);
    try {
        if (!tensor) throw std::invalid_argument(problem.toStdString());
        send(run, TensorSlice{request.slice.tensor, make_tensor_slice(*tensor, request.slice.slice),
                              request.slice.tag});
    } catch (const std::exception& e) {
        send(run, SliceFailed{qname, QString::fromStdString(e.what()), request.slice.tag});
    }
    return Step::Done;
}

} // namespace nnscope::session
