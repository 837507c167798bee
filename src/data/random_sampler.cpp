#include "data/random_sampler.h"

#include "engine/random.h"

#include <stdexcept>
#include <string>

namespace nnscope::data {

RandomSampler::RandomSampler(std::int64_t data_size, bool replacement,
                             std::optional<std::int64_t> num_samples, GeneratorPtr generator)
    : n_(data_size)
    , replacement_(replacement)
    , num_samples_(num_samples.value_or(data_size))
    , generator_(std::move(generator)) {
    if (num_samples_ <= 0)
        throw std::invalid_argument(
            "num_samples should be a positive integer value, but got num_samples=" +
            std::to_string(num_samples_));
}

std::vector<std::int64_t> RandomSampler::indices() {
    // Without a generator PyTorch seeds a fresh one from the default generator every epoch.
    Generator own;
    if (!generator_) own.manual_seed(static_cast<std::uint64_t>(random_int64(default_generator())));
    Generator& gen = generator_ ? *generator_ : own;

    std::vector<std::int64_t> out;
    out.reserve(static_cast<std::size_t>(num_samples_));
    auto append = [&](const Tensor& t, std::int64_t count) {
        const auto values = t.to_int64_vector();
        out.insert(out.end(), values.begin(), values.begin() + count);
    };
    if (replacement_) {
        // Chunks of 32 as PyTorch; randint takes one random() per element either way.
        for (std::int64_t c = 0; c < num_samples_ / 32; ++c)
            append(randint(0, n_, {32}, gen), 32);
        append(randint(0, n_, {num_samples_ % 32}, gen), num_samples_ % 32);
    } else {
        if (n_ == 0)
            throw std::invalid_argument(
                "RandomSampler: integer division or modulo by zero (the data source is empty)");
        for (std::int64_t c = 0; c < num_samples_ / n_; ++c)
            append(randperm(n_, gen), n_);
        append(randperm(n_, gen), num_samples_ % n_);
    }
    return out;
}

} // namespace nnscope::data
