#pragma once
// torch.utils.data.Sampler: the order in which a DataLoader visits dataset indices.

#include "engine/generator.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace nnscope::data {

// A sampler's generator; null means default_generator() of the thread that draws (the process-wide
// one unless a DefaultGeneratorScope is active there), as generator=None does.
using GeneratorPtr = std::shared_ptr<Generator>;
Generator& generator_or_default(const GeneratorPtr& gen);

class Sampler {
public:
    virtual ~Sampler() = default;
    virtual std::int64_t size() const = 0; // len(sampler)
    // One epoch's indices. PyTorch's samplers are generators that draw when the first index is
    // taken; drawing the whole epoch at that moment gives the same stream, because every draw
    // within one epoch comes from the sampler's own generator (or happens all at once).
    virtual std::vector<std::int64_t> indices() = 0;
};

using SamplerPtr = std::shared_ptr<Sampler>;

} // namespace nnscope::data
