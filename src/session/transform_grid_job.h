#pragma once
// Job kind: the DataLoader lab's transform preview grid (workflows::make_transform_grid). The
// request names the configuration's data set, pipeline, samples and seeds; the answer is a
// TransformGridPtr, or LoaderFailed (field "transform" for a bad pipeline, "dataset" for data
// that cannot be read or holds no images). The opened data set is kept for the next request.

#include "session/job.h"
#include "session/loader_failed.h"
#include "workflows/transform_grid.h"

#include <memory>
#include <string>

namespace nnscope::session {

class TransformGridJob
    : public Job<workflows::TransformGridRequest, workflows::TransformGridPtr, LoaderFailed> {
public:
    Step begin(const workflows::TransformGridRequest& request, const JobRun& run) override;

private:
    std::string opened_; // "spec|split" of dataset_
    std::shared_ptr<data::MnistDataset> dataset_;
};

} // namespace nnscope::session
