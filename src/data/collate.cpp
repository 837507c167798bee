#include "data/collate.h"

#include "engine/ops/shape.h"

#include <stdexcept>

namespace nnscope::data {

Sample default_collate(std::vector<Sample> batch) {
    if (batch.empty()) throw std::invalid_argument("default_collate: empty batch");
    const Sample& first = batch.front();
    for (const auto& s : batch)
        if (s.value().index() != first.value().index())
            throw std::invalid_argument(std::string("default_collate: a batch mixes ") +
                                        first.kind() + " and " + s.kind() + " samples");
    if (first.is_tensor()) {
        std::vector<Tensor> tensors;
        for (const auto& s : batch)
            tensors.push_back(s.tensor());
        return Sample(stack(tensors, 0));
    }
    if (first.is_int()) {
        std::vector<std::int64_t> values;
        for (const auto& s : batch)
            values.push_back(s.integer());
        return Sample(Tensor::from_int64(values, {static_cast<std::int64_t>(values.size())}));
    }
    if (first.is_float()) {
        std::vector<double> values;
        for (const auto& s : batch)
            values.push_back(s.number());
        return Sample(Tensor::from_vector(values, {static_cast<std::int64_t>(values.size())},
                                          DType::Float64));
    }
    if (first.is_text()) return Sample::tuple(std::move(batch));
    if (first.is_tuple()) {
        const std::size_t width = first.items().size();
        for (const auto& s : batch)
            if (s.items().size() != width)
                throw std::runtime_error("each element in list of batch should be of equal size");
        Sample::Tuple out;
        for (std::size_t i = 0; i < width; ++i) {
            std::vector<Sample> column;
            for (const auto& s : batch)
                column.push_back(s.items()[i]);
            out.push_back(default_collate(std::move(column)));
        }
        return Sample::tuple(std::move(out));
    }
    if (first.is_dict()) {
        Sample::Dict out;
        for (const auto& [key, unused] : first.fields()) {
            std::vector<Sample> column;
            for (const auto& s : batch)
                column.push_back(s[key]); // a missing key throws, as Python's KeyError
            out.emplace_back(key, default_collate(std::move(column)));
        }
        return Sample::dict(std::move(out));
    }
    throw std::invalid_argument(
        "default_collate: batch must contain tensors, numbers, dicts or lists; found None");
}

Sample default_convert(std::vector<Sample> batch) {
    if (batch.size() != 1)
        throw std::invalid_argument("default_convert: expected one sample, got " +
                                    std::to_string(batch.size()));
    return std::move(batch.front());
}

} // namespace nnscope::data
