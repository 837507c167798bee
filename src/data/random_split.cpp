#include "data/random_split.h"

#include "engine/random.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace nnscope::data {

namespace {

std::string number(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

} // namespace

std::vector<std::shared_ptr<Subset>>
random_split(const DatasetPtr& dataset, const std::vector<std::int64_t>& lengths, Generator& gen) {
    if (!dataset) throw std::invalid_argument("random_split: dataset is null");
    for (const auto n : lengths)
        if (n < 0)
            throw std::invalid_argument("random_split: negative length " + std::to_string(n));
    const std::int64_t total = std::accumulate(lengths.begin(), lengths.end(), std::int64_t{0});
    if (total != dataset->size())
        throw std::invalid_argument(
            "Sum of input lengths does not equal the length of the input dataset!");
    const std::vector<std::int64_t> perm = randperm(total, gen).to_int64_vector();
    std::vector<std::shared_ptr<Subset>> out;
    std::size_t offset = 0;
    for (const auto n : lengths) {
        const auto count = static_cast<std::size_t>(n);
        out.push_back(std::make_shared<Subset>(
            dataset,
            std::vector<std::int64_t>(perm.begin() + static_cast<std::ptrdiff_t>(offset),
                                      perm.begin() + static_cast<std::ptrdiff_t>(offset + count))));
        offset += count;
    }
    return out;
}

bool split_lengths_are_fractions(const std::vector<double>& lengths) {
    double sum = 0; // Python's sum(): left to right
    for (const double v : lengths)
        sum += v;
    // math.isclose(sum, 1) (rel_tol 1e-9) and sum <= 1
    return std::abs(sum - 1) <= 1e-9 * std::max(std::abs(sum), 1.0) && sum <= 1;
}

void check_split_counts(const std::vector<double>& lengths) {
    for (const double v : lengths)
        if (!(v >= 0) || v != std::floor(v) || v > 9.0e15)
            throw std::invalid_argument(
                "random_split: length " + number(v) +
                " is neither a count (a whole number, at least 0) nor one of fractions summing "
                "to 1");
}

SplitLengths random_split_lengths(const std::vector<double>& lengths, std::int64_t size) {
    SplitLengths out;
    if (split_lengths_are_fractions(lengths)) {
        for (std::size_t i = 0; i < lengths.size(); ++i) {
            if (lengths[i] < 0 || lengths[i] > 1)
                throw std::invalid_argument("Fraction at index " + std::to_string(i) +
                                            " is not between 0 and 1");
            out.counts.push_back(
                static_cast<std::int64_t>(std::floor(static_cast<double>(size) * lengths[i])));
        }
        const std::int64_t remainder =
            size - std::accumulate(out.counts.begin(), out.counts.end(), std::int64_t{0});
        for (std::int64_t i = 0; i < remainder; ++i)
            ++out.counts[static_cast<std::size_t>(i) % out.counts.size()];
        for (std::size_t i = 0; i < out.counts.size(); ++i)
            if (out.counts[i] == 0)
                out.warnings.push_back("Length of split at index " + std::to_string(i) +
                                       " is 0. This might result in an empty dataset.");
        return out;
    }
    double sum = 0;
    for (const double v : lengths)
        sum += v;
    if (sum != static_cast<double>(size))
        throw std::invalid_argument(
            "Sum of input lengths does not equal the length of the input dataset!");
    check_split_counts(lengths);
    for (const double v : lengths)
        out.counts.push_back(static_cast<std::int64_t>(v));
    return out;
}

} // namespace nnscope::data
