#include "data/dataset_spec.h"

#include "data/config_error.h"
#include "data/labelled_range_dataset.h"
#include "data/text/ag_news.h"

#include <charconv>

namespace nnscope::data {

namespace {

std::int64_t count_of(const std::string& text, const std::string& what) {
    long long n = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (error != std::errc() || end != text.data() + text.size())
        throw ConfigError("dataset",
                          "{dataset} " + what + " expects an integer, got '" + text + "'");
    return n;
}

// N, or N:mod=K / N:imbalanced=K.
DatasetPtr open_range(const std::string& arg) {
    const auto colon = arg.find(':');
    const std::int64_t n = count_of(arg.substr(0, colon), "range:N");
    if (colon == std::string::npos) return std::make_shared<RangeDataset>(n);
    const std::string rule = arg.substr(colon + 1);
    const auto eq = rule.find('=');
    const std::string name = rule.substr(0, eq);
    if (eq == std::string::npos || (name != "mod" && name != "imbalanced"))
        throw ConfigError("dataset",
                          "{dataset} range:N:RULE takes mod=K or imbalanced=K, got '" + rule + "'");
    const std::int64_t k = count_of(rule.substr(eq + 1), "range:N:" + name + "=K");
    if (k < 1 || k > 62)
        throw ConfigError("dataset", "{dataset} range:N:" + name +
                                         "=K needs 1 to 62 classes, got " + std::to_string(k));
    return std::make_shared<LabelledRangeDataset>(
        n, name == "mod" ? LabelledRangeDataset::Rule::Mod : LabelledRangeDataset::Rule::Imbalanced,
        k);
}

} // namespace

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
    if (kind == "range") return open_range(arg);
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
