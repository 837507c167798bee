#include "data/sample_weights.h"

#include "data/config_error.h"

#include <cmath>
#include <map>
#include <sstream>

namespace nnscope::data {

namespace {

const char* const field = "sampler.weights";

std::int64_t label_of(const Dataset& d, std::int64_t i) {
    const auto l = d.label(i);
    if (!l) throw ConfigError(field, "{weights} per class needs a data set with labels");
    return *l;
}

std::vector<double> class_balanced(const Dataset& d) {
    const std::int64_t n = d.size();
    std::map<std::int64_t, std::int64_t> counts;
    for (std::int64_t i = 0; i < n; ++i)
        ++counts[label_of(d, i)];
    std::vector<double> w;
    w.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
        w.push_back(1.0 / static_cast<double>(counts[label_of(d, i)]));
    return w;
}

std::vector<double> per_class(const std::vector<double>& given, const Dataset& d) {
    std::vector<double> w;
    for (std::int64_t i = 0, n = d.size(); i < n; ++i) {
        const auto l = label_of(d, i);
        if (l < 0 || l >= static_cast<std::int64_t>(given.size()))
            throw ConfigError(field, "{weights} gives " + std::to_string(given.size()) +
                                         " weights: neither one per sample (" + std::to_string(n) +
                                         ") nor one per class (class " + std::to_string(l) +
                                         " has none)");
        w.push_back(given[static_cast<std::size_t>(l)]);
    }
    return w;
}

// torch.multinomial's checks on the CPU (aten/src/ATen/native/cpu/MultinomialKernel.cpp), in its
// order and with its messages, made before anything is drawn: NaN fails the first one.
void check(const std::vector<double>& w) {
    double sum = 0;
    for (double v : w) {
        if (!(v >= 0))
            throw ConfigError(
                field, "invalid multinomial distribution (encountering probability entry < 0)",
                ConfigError::Kind::Rule);
        if (!std::isfinite(v))
            throw ConfigError(field,
                              "invalid multinomial distribution (encountering probability entry = "
                              "infinity or NaN)",
                              ConfigError::Kind::Rule);
        sum += v;
    }
    if (!(sum > 0))
        throw ConfigError(field, "invalid multinomial distribution (sum of probabilities <= 0)",
                          ConfigError::Kind::Rule);
}

} // namespace

SampleWeights parse_sample_weights(const std::string& text) {
    if (text == "class-balanced") return {};
    SampleWeights w{SampleWeights::Kind::Listed, {}};
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        try {
            w.values.push_back(std::stod(item));
        } catch (const std::exception&) {
            throw ConfigError(field, "{weights}: '" + item + "' is not a number");
        }
    }
    return w;
}

std::vector<double> resolve_sample_weights(const SampleWeights& weights, const Dataset& d) {
    using Kind = SampleWeights::Kind;
    std::vector<double> w;
    const bool one_per_sample = static_cast<std::int64_t>(weights.values.size()) == d.size();
    switch (weights.kind) {
    case Kind::ClassBalanced:
        w = class_balanced(d);
        break;
    case Kind::PerClass:
        w = per_class(weights.values, d);
        break;
    case Kind::Listed:
        w = one_per_sample ? weights.values : per_class(weights.values, d);
        break;
    case Kind::PerSample:
        if (!one_per_sample)
            throw ConfigError(field, "{weights} gives " + std::to_string(weights.values.size()) +
                                         " weights per sample for a data set of " +
                                         std::to_string(d.size()));
        w = weights.values;
        break;
    }
    check(w);
    return w;
}

} // namespace nnscope::data
