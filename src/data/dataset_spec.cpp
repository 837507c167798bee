#include "data/dataset_spec.h"

#include "data/config_error.h"
#include "data/text/ag_news.h"

#include <charconv>

namespace nnscope::data {

DatasetSpec parse_dataset_spec(const std::string& spec) {
    const auto colon = spec.find(':');
    return {spec.substr(0, colon), colon == std::string::npos ? "" : spec.substr(colon + 1)};
}

std::shared_ptr<MnistDataset> open_image_dataset(const std::string& spec, Split split) {
    const auto [kind, arg] = parse_dataset_spec(spec);
    if (kind == "fashion-mnist")
        return MnistDataset::fashion_mnist(
            arg.empty() ? MnistDataset::fashion_mnist_default_dir : arg, split);
    if (kind == "mnist") {
        if (arg.empty())
            throw ConfigError("dataset", "{dataset} mnist:PATH needs the folder of the IDX files");
        return MnistDataset::mnist(arg, split);
    }
    return nullptr;
}

DatasetPtr open_dataset(const std::string& spec, Split split) {
    if (auto images = open_image_dataset(spec, split)) return images;
    const auto [kind, arg] = parse_dataset_spec(spec);
    if (kind == "range") {
        long long n = 0;
        const auto [end, error] = std::from_chars(arg.data(), arg.data() + arg.size(), n);
        if (error != std::errc() || end != arg.data() + arg.size())
            throw ConfigError("dataset", "{dataset} range:N expects an integer, got '" + arg + "'");
        return std::make_shared<RangeDataset>(n);
    }
    if (kind == "ag-news") {
        if (arg.empty())
            throw ConfigError("dataset",
                              "{dataset} ag-news:PATH needs the folder of the CSV files");
        const AgNewsSplits splits = open_ag_news(arg);
        return split == Split::Train ? splits.train : splits.test;
    }
    throw ConfigError("dataset", "unknown {dataset} '" + spec +
                                     "' (range:N, fashion-mnist[:PATH], mnist:PATH, ag-news:PATH)");
}

} // namespace nnscope::data
