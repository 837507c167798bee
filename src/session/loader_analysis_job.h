#pragma once
// Job kind: the DataLoader lab's analysis of one configuration (workflows::analyse_loader). The
// request is a DataLoaderConfig; the answer is a LoaderAnalysisPtr, or LoaderFailed for a bad
// configuration (a ConfigError, naming its field) or unreadable data. One step: the analysis
// draws indices only (a few ms for 60,000 samples x 3 epochs in the release build) and reads the
// cancel flag at least every 16,384 indices, so a newer request or a cancel stops it within
// about a millisecond and it sends nothing.

#include "session/job.h"
#include "session/loader_failed.h"
#include "workflows/loader_analysis.h"

namespace nnscope::session {

class LoaderAnalysisJob
    : public Job<data::DataLoaderConfig, workflows::LoaderAnalysisPtr, LoaderFailed> {
public:
    Step begin(const data::DataLoaderConfig& config, const JobRun& run) override;
};

} // namespace nnscope::session
