#pragma once
// Job kind: the snapshot of one module's recorded output (or its gradient) from a finished run,
// for the browser's tensor view (issue #16's Run panel). The run's tensors are already in memory
// (RunModelResultPtr, immutable and shared), so this is make_tensor_snapshot on one of them, in
// the worker like every other snapshot; RunSliceJob reads a window of one at full resolution
// (the zoomed-in heatmap, a CSV export), as SliceJob does for stored tensors. Urgent: the user
// waits for them.

#include "session/job.h"
#include "session/run_model_job.h"
#include "session/slice_job.h"
#include "session/snapshot_job.h"
#include "session/tensor_snapshot.h"

#include <string>

namespace nnscope::session {

struct RunSnapshotRequest {
    RunModelResultPtr result;
    std::string module; // dotted path ("" the whole model)
    bool gradient = false;
    SnapshotRequest request;
};

// The name a run tensor is shown under: "features.0 — output" or "features.0 — gradient".
std::string run_tensor_name(const std::string& module, bool gradient);

class RunSnapshotJob : public Job<RunSnapshotRequest, TensorSnapshot, SnapshotFailed> {
public:
    static constexpr bool kUrgent = true;
    Step begin(const RunSnapshotRequest& request, const JobRun& run) override;
};

struct RunSliceRequest {
    RunModelResultPtr result;
    std::string module;
    bool gradient = false;
    TensorSliceRequest slice; // its tensor is the name the view shows, carried back
};

class RunSliceJob : public Job<RunSliceRequest, TensorSlice, SliceFailed> {
public:
    static constexpr bool kUrgent = true;
    Step begin(const RunSliceRequest& request, const JobRun& run) override;
};

} // namespace nnscope::session
