#include "data/transforms/transformed_dataset.h"

#include <stdexcept>

namespace nnscope::data {

TransformedDataset::TransformedDataset(DatasetPtr dataset, TransformPtr transform)
    : dataset_(std::move(dataset))
    , transform_(std::move(transform)) {
    if (!dataset_) throw std::invalid_argument("TransformedDataset: dataset is null");
    if (!transform_) throw std::invalid_argument("TransformedDataset: transform is null");
}

Sample TransformedDataset::get(std::int64_t index) const {
    return get(index, default_generator(), nullptr);
}

Sample TransformedDataset::get(std::int64_t index, Generator& gen,
                               std::vector<Drawn>* drawn) const {
    Sample s = dataset_->get(index);
    if (s.is_tensor()) return Sample(transform_->apply(s.tensor(), gen, drawn));
    if (s.is_tuple() && !s.items().empty() && s.items()[0].is_tensor()) {
        Sample::Tuple items = s.items();
        items[0] = Sample(transform_->apply(items[0].tensor(), gen, drawn));
        return Sample::tuple(std::move(items));
    }
    throw std::invalid_argument(dataset_->name() + " sample " + std::to_string(index) + " is a " +
                                s.kind() +
                                ", not an image tensor or an (image, ...) tuple to transform");
}

} // namespace nnscope::data
