#include "data/sampler.h"

namespace nnscope::data {

Generator& generator_or_default(const GeneratorPtr& gen) {
    return gen ? *gen : default_generator();
}

} // namespace nnscope::data
