#pragma once
// SubsetRandomSampler: the given indices in the order of one randperm.

#include "data/sampler.h"

namespace nnscope::data {

class SubsetRandomSampler : public Sampler {
public:
    explicit SubsetRandomSampler(std::vector<std::int64_t> indices,
                                 GeneratorPtr generator = nullptr);
    std::int64_t size() const override { return static_cast<std::int64_t>(indices_.size()); }
    std::vector<std::int64_t> indices() override;

private:
    std::vector<std::int64_t> indices_;
    GeneratorPtr generator_;
};

} // namespace nnscope::data
