#include "data/text/vocab.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_set>

namespace nnscope::data {

Vocab::Vocab(std::vector<std::string> itos)
    : itos_(std::move(itos)) {
    stoi_.reserve(itos_.size());
    for (std::size_t i = 0; i < itos_.size(); ++i)
        if (!stoi_.emplace(itos_[i], static_cast<std::int64_t>(i)).second)
            throw std::invalid_argument("Vocab: token '" + itos_[i] + "' appears twice");
}

bool Vocab::contains(std::string_view token) const {
    return stoi_.find(std::string(token)) != stoi_.end();
}

std::int64_t Vocab::operator[](std::string_view token) const {
    const auto it = stoi_.find(std::string(token));
    if (it != stoi_.end()) return it->second;
    if (default_index_) return *default_index_;
    throw std::out_of_range("Token '" + std::string(token) +
                            "' not found and default index is not set");
}

std::vector<std::int64_t> Vocab::lookup_indices(const std::vector<std::string>& tokens) const {
    std::vector<std::int64_t> out;
    out.reserve(tokens.size());
    for (const auto& t : tokens)
        out.push_back((*this)[t]);
    return out;
}

const std::string& Vocab::lookup_token(std::int64_t index) const {
    if (index < 0 || index >= size())
        throw std::out_of_range(
            "Specified index " + std::to_string(index) +
            " is out of bounds of the size of itos dictionary: " + std::to_string(size()));
    return itos_[static_cast<std::size_t>(index)];
}

void TokenCounter::update(const std::vector<std::string>& tokens) {
    for (const auto& t : tokens)
        ++counts_[t];
}

Vocab build_vocab(const TokenCounter& counter, const VocabOptions& options) {
    using Entry = std::pair<const std::string*, std::int64_t>;
    std::vector<Entry> sorted;
    sorted.reserve(counter.counts().size());
    for (const auto& [token, count] : counter.counts())
        sorted.emplace_back(&token, count);
    std::sort(sorted.begin(), sorted.end(), [](const Entry& a, const Entry& b) {
        if (a.second != b.second) return a.second > b.second;
        return *a.first < *b.first; // std::string compares bytes as unsigned char
    });
    if (options.max_tokens) {
        const auto n_specials = static_cast<std::int64_t>(options.specials.size());
        if (n_specials >= *options.max_tokens)
            throw std::invalid_argument(
                "len(specials) >= max_tokens, so the vocab will be entirely special tokens.");
        sorted.resize(
            std::min(sorted.size(), static_cast<std::size_t>(*options.max_tokens - n_specials)));
    }
    const std::unordered_set<std::string> specials(options.specials.begin(),
                                                   options.specials.end());
    std::vector<std::string> tokens;
    if (options.special_first) tokens = options.specials;
    for (const auto& [token, count] : sorted)
        if (count >= options.min_freq && !specials.count(*token)) tokens.push_back(*token);
    if (!options.special_first)
        tokens.insert(tokens.end(), options.specials.begin(), options.specials.end());
    return Vocab(std::move(tokens));
}

Vocab build_vocab_from_iterator(const std::vector<std::vector<std::string>>& token_lists,
                                const VocabOptions& options) {
    TokenCounter counter;
    for (const auto& tokens : token_lists)
        counter.update(tokens);
    return build_vocab(counter, options);
}

} // namespace nnscope::data
