#include "session/transform_grid_job.h"

#include "data/config_error.h"
#include "data/dataset_spec.h"
#include "data/loader_factory.h"
#include "data/transforms/compose.h"

namespace nnscope::session {

Step TransformGridJob::begin(const workflows::TransformGridRequest& request, const JobRun& run) {
    try {
        const auto transform = data::parse_config_transform(request.dataset, request.transform);
        const std::string key = request.dataset + (request.test_split ? "|test" : "|train");
        if (key != opened_ || !dataset_) {
            dataset_.reset();
            opened_.clear();
            dataset_ = data::open_image_dataset(
                request.dataset, request.test_split ? data::Split::Test : data::Split::Train);
            if (!dataset_)
                throw data::ConfigError("dataset",
                                        "'" + request.dataset + "' holds no images to transform");
            opened_ = key;
        }
        // An empty pipeline shows the pictures as stored: an identity Compose.
        const data::TransformPtr pipeline =
            transform ? transform
                      : std::make_shared<data::Compose>(std::vector<data::TransformPtr>{});
        if (auto grid = workflows::make_transform_grid(*dataset_, request.indices, *pipeline,
                                                       request.seeds, run.cancelFlag()))
            send(run, std::move(grid));
    } catch (...) {
        send(run, current_loader_failure());
    }
    return Step::Done;
}

} // namespace nnscope::session
