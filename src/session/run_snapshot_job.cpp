#include "session/run_snapshot_job.h"

#include "io/model_document.h"

#include <exception>

namespace nnscope::session {

std::string run_tensor_name(const std::string& module, bool gradient) {
    return (module.empty() ? std::string("(model)") : module) +
           (gradient ? " \u2014 gradient" : " \u2014 output");
}

Step RunSnapshotJob::begin(const RunSnapshotRequest& request, const JobRun& run) {
    const std::string name = run_tensor_name(request.module, request.gradient);
    const QString qname = QString::fromStdString(name);
    const workflows::ModuleRecord* record =
        request.result ? request.result->run.find(request.module) : nullptr;
    if (!record) {
        send(run,
             SnapshotFailed{qname, QStringLiteral("the run recorded nothing for this module")});
        return Step::Done;
    }
    const Tensor& tensor = request.gradient ? record->grad : record->output;
    if (!tensor.defined()) {
        send(run, SnapshotFailed{qname, request.gradient && !record->dropped
                                            ? QStringLiteral("no gradient: run with a backward")
                                            : QStringLiteral("not kept: the run's tensors passed "
                                                             "the memory bound")});
        return Step::Done;
    }
    try {
        io::TensorEntry entry;
        entry.name = name;
        entry.shape = tensor.shape();
        entry.dtype = tensor.dtype();
        send(run, make_tensor_snapshot(entry, tensor, request.request, run.cancelFlag()));
    } catch (const SnapshotCancelled&) {
        // A newer request replaced this one; it is on its way.
    } catch (const std::exception& e) {
        send(run, SnapshotFailed{qname, QString::fromStdString(e.what())});
    }
    return Step::Done;
}

} // namespace nnscope::session
