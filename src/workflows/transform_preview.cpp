#include "workflows/transform_preview.h"

#include "engine/generator.h"

namespace nnscope::workflows {

TransformPreview preview_transform(const data::MnistDataset& dataset, std::int64_t index,
                                   const data::Transform& transform, std::uint64_t seed) {
    TransformPreview p;
    p.before = dataset.image_uint8(index);
    Generator generator(seed);
    p.after = transform.apply(p.before.squeeze(0), generator, &p.drawn);
    p.label = dataset.label(index).value_or(-1);
    const auto& classes = dataset.classes();
    if (p.label >= 0 && p.label < static_cast<std::int64_t>(classes.size()))
        p.class_name = classes[static_cast<std::size_t>(p.label)];
    return p;
}

} // namespace nnscope::workflows
