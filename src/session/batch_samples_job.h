#pragma once
// Job kind: the samples of one batch of a configured loader, as the batch inspector shows them
// (workflows::load_batch_samples). The answer is a BatchSamplesPtr, or LoaderFailed for a bad
// configuration, unreadable data or a batch the loader does not have. A newer request or a
// cancel stops the loading within one batch.

#include "session/job.h"
#include "session/loader_failed.h"
#include "workflows/batch_samples.h"

namespace nnscope::session {

class BatchSamplesJob
    : public Job<workflows::BatchSamplesRequest, workflows::BatchSamplesPtr, LoaderFailed> {
public:
    Step begin(const workflows::BatchSamplesRequest& request, const JobRun& run) override;
};

} // namespace nnscope::session
