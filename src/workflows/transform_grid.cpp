#include "workflows/transform_grid.h"

#include <charconv>
#include <cstdio>
#include <stdexcept>

namespace nnscope::workflows {

TransformGridPtr make_transform_grid(const data::MnistDataset& dataset,
                                     const std::vector<std::int64_t>& indices,
                                     const data::Transform& transform,
                                     const std::vector<std::uint64_t>& seeds,
                                     const std::atomic<bool>* cancel) {
    auto grid = std::make_shared<TransformGrid>();
    grid->indices = indices;
    grid->seeds = seeds;
    grid->cells.reserve(indices.size() * seeds.size());
    for (const auto index : indices) {
        if (index < 0 || index >= dataset.size())
            throw std::out_of_range("sample " + std::to_string(index) + " is not in " +
                                    dataset.name() + " (" + std::to_string(dataset.size()) +
                                    " samples)");
        for (const auto seed : seeds) {
            if (cancel && cancel->load()) return nullptr;
            grid->cells.push_back(
                {index, seed, preview_transform(dataset, index, transform, seed, true)});
        }
    }
    return grid;
}

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

std::int64_t parse_index(std::string_view part, std::string_view whole, std::int64_t size) {
    part = trim(part);
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc() || end != part.data() + part.size())
        throw std::invalid_argument("'" + std::string(whole) + "' is not an index or a range a-b");
    if (v < 0 || v >= size)
        throw std::invalid_argument("index " + std::to_string(v) + " is outside the data set's " +
                                    std::to_string(size) + " samples");
    return v;
}

} // namespace

std::vector<std::int64_t> parse_index_list(std::string_view text, std::int64_t size) {
    std::vector<std::int64_t> out;
    while (true) {
        const auto comma = text.find(',');
        const std::string_view part = trim(text.substr(0, comma));
        if (!part.empty()) {
            const auto dash = part.find('-', 1);
            const auto first = parse_index(part.substr(0, dash), part, size);
            const auto last = dash == std::string_view::npos
                                  ? first
                                  : parse_index(part.substr(dash + 1), part, size);
            if (last < first)
                throw std::invalid_argument("the range " + std::string(part) + " runs backwards");
            if (out.size() + static_cast<std::size_t>(last - first + 1) > kMaxGridSamples)
                throw std::invalid_argument("at most " + std::to_string(kMaxGridSamples) +
                                            " samples at once");
            for (auto i = first; i <= last; ++i)
                out.push_back(i);
        }
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    if (out.empty()) throw std::invalid_argument("no sample index given (e.g. 0-7)");
    return out;
}

std::vector<std::uint64_t> consecutive_seeds(std::uint64_t first, std::size_t k) {
    std::vector<std::uint64_t> out;
    for (std::size_t i = 0; i < k; ++i)
        out.push_back(first + i);
    return out;
}

std::vector<std::uint64_t> epoch_seeds(const LoaderAnalysis& analysis, std::size_t k) {
    std::vector<std::uint64_t> out;
    for (std::size_t e = 0; e < k && e < analysis.epochs.size(); ++e)
        out.push_back(static_cast<std::uint64_t>(analysis.epochs[e].base_seed));
    return out;
}

std::vector<std::string> describe_drawn(const std::vector<data::Drawn>& drawn) {
    std::vector<std::string> out;
    for (const auto& d : drawn) {
        const auto* first = d.values.empty() ? nullptr : &d.values.front().second;
        if (d.transform == "RandomCrop" && d.values.size() == 2) {
            out.push_back("crop top=" + std::to_string(std::get<std::int64_t>(d.values[0].second)) +
                          " left=" + std::to_string(std::get<std::int64_t>(d.values[1].second)));
        } else if (d.transform == "RandomRotation" && first &&
                   std::holds_alternative<double>(*first)) {
            char text[32];
            std::snprintf(text, sizeof text, "angle %.1f\u00b0", std::get<double>(*first));
            out.push_back(text);
        } else if (first && std::holds_alternative<bool>(*first) && d.values.size() == 1) {
            const bool vertical = d.transform == "RandomVerticalFlip";
            out.push_back(std::get<bool>(*first) ? (vertical ? "v-flipped" : "flipped")
                                                 : (vertical ? "not v-flipped" : "not flipped"));
        } else {
            out.push_back(d.to_string());
        }
    }
    return out;
}

} // namespace nnscope::workflows
