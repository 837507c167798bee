#include "workflows/transform_preview.h"

#include "data/transforms/compose.h"
#include "engine/generator.h"

namespace nnscope::workflows {

namespace {

// The pipeline one stage at a time: Compose::apply's loop, keeping each stage's output.
Tensor apply_by_stage(const data::Transform& transform, const Tensor& image, Generator& generator,
                      TransformPreview& p) {
    std::vector<const data::Transform*> parts;
    if (const auto* compose = dynamic_cast<const data::Compose*>(&transform))
        for (const auto& t : compose->transforms())
            parts.push_back(t.get());
    else
        parts.push_back(&transform);
    Tensor img = image;
    for (const auto* t : parts) {
        TransformStage stage{t->repr(), {}, {}};
        img = t->apply(img, generator, &stage.drawn);
        stage.image = img;
        p.drawn.insert(p.drawn.end(), stage.drawn.begin(), stage.drawn.end());
        p.stages.push_back(std::move(stage));
    }
    return img;
}

} // namespace

TransformPreview preview_transform(const data::MnistDataset& dataset, std::int64_t index,
                                   const data::Transform& transform, std::uint64_t seed,
                                   bool stages) {
    TransformPreview p;
    p.before = dataset.image_uint8(index);
    Generator generator(seed);
    p.after = stages ? apply_by_stage(transform, p.before.squeeze(0), generator, p)
                     : transform.apply(p.before.squeeze(0), generator, &p.drawn);
    p.label = dataset.label(index).value_or(-1);
    const auto& classes = dataset.classes();
    if (p.label >= 0 && p.label < static_cast<std::int64_t>(classes.size()))
        p.class_name = classes[static_cast<std::size_t>(p.label)];
    return p;
}

} // namespace nnscope::workflows
