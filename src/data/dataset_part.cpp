#include "data/dataset_part.h"

#include "data/config_error.h"
#include "data/index_choice.h"
#include "data/mnist.h"
#include "data/random_split.h"
#include "data/text/ag_news.h"

namespace nnscope::data {

namespace {

const std::string lengths_field = "subset.random_split.lengths";

// random_split's refusal of the lengths as the configuration's error.
[[noreturn]] void refuse_lengths(const std::invalid_argument& e) {
    throw ConfigError(lengths_field, ConfigError::literal(e.what()), ConfigError::Kind::Rule);
}

SplitLengths split_lengths(const std::vector<double>& lengths, std::int64_t size) {
    try {
        return random_split_lengths(lengths, size);
    } catch (const std::invalid_argument& e) {
        refuse_lengths(e);
    }
}

void validate_split(const RandomSplitArgs& a) {
    if (a.lengths.empty())
        throw ConfigError(lengths_field, "random_split needs at least one length in {lengths}");
    try {
        if (split_lengths_are_fractions(a.lengths))
            random_split_lengths(a.lengths, 0); // the fractions' own checks
        else
            check_split_counts(a.lengths);
    } catch (const std::invalid_argument& e) {
        refuse_lengths(e);
    }
    const auto parts = static_cast<std::int64_t>(a.lengths.size());
    if (a.part < 0 || a.part >= parts)
        throw ConfigError("subset.random_split.part",
                          "random_split part " + std::to_string(a.part) +
                              " does not exist: the lengths make parts 0 to " +
                              std::to_string(parts - 1));
}

} // namespace

void validate_dataset_part(const DatasetPart& part) {
    if (const auto* s = std::get_if<SubsetArgs>(&part)) {
        if (!s->indices && !s->range)
            throw ConfigError("subset.indices", "a Subset needs its {indices} or a {range}");
        check_index_choice(s->indices, s->range, "subset.");
    } else if (const auto* r = std::get_if<RandomSplitArgs>(&part)) {
        validate_split(*r);
    }
}

DatasetPartResult take_dataset_part(const DatasetPtr& whole, const DatasetPart& part) {
    if (const auto* s = std::get_if<SubsetArgs>(&part))
        return {std::make_shared<Subset>(
                    whole, chosen_indices(s->indices, s->range, whole->size(), "subset.")),
                {}};
    if (const auto* r = std::get_if<RandomSplitArgs>(&part)) {
        SplitLengths lengths = split_lengths(r->lengths, whole->size());
        Generator gen(r->seed); // torch.Generator().manual_seed(seed)
        auto parts = random_split(whole, lengths.counts, gen);
        return {parts.at(static_cast<std::size_t>(r->part)), std::move(lengths.warnings)};
    }
    return {whole, {}};
}

std::vector<std::string> class_names(const Dataset& d) {
    if (const auto* s = dynamic_cast<const Subset*>(&d)) return class_names(*s->dataset());
    if (const auto* images = dynamic_cast<const MnistDataset*>(&d)) return images->classes();
    if (const auto* text = dynamic_cast<const AgNewsDataset*>(&d)) return text->classes();
    return {};
}

} // namespace nnscope::data
