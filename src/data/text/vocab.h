#pragma once
// torchtext.vocab.Vocab and build_vocab_from_iterator (torchtext 0.14): tokens counted, ordered by
// descending frequency with ties in code-point order of the token (Python's sort of the
// (-count, token) pairs; byte order of UTF-8 is the same order), tokens rarer than min_freq
// dropped, then the specials put first (or last) in the order given.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nnscope::data {

class Vocab {
public:
    // itos: the tokens by index. Throws std::invalid_argument for a repeated token.
    explicit Vocab(std::vector<std::string> itos);

    std::int64_t size() const { return static_cast<std::int64_t>(itos_.size()); }
    bool contains(std::string_view token) const;
    // vocab[token]: its index, else the default index; throws std::out_of_range ("Token 'x' not
    // found and default index is not set", as torchtext's RuntimeError) when there is none.
    std::int64_t operator[](std::string_view token) const;
    std::vector<std::int64_t> lookup_indices(const std::vector<std::string>& tokens) const;
    // vocab.lookup_token(i); throws std::out_of_range for an index outside [0, size).
    const std::string& lookup_token(std::int64_t index) const;
    const std::vector<std::string>& itos() const { return itos_; }

    // set_default_index(index) / set_default_index(None).
    void set_default_index(std::optional<std::int64_t> index) { default_index_ = index; }
    std::optional<std::int64_t> default_index() const { return default_index_; }

private:
    std::vector<std::string> itos_;
    std::unordered_map<std::string, std::int64_t> stoi_;
    std::optional<std::int64_t> default_index_;
};

// collections.Counter over token lists, for build_vocab.
class TokenCounter {
public:
    void update(const std::vector<std::string>& tokens);
    const std::unordered_map<std::string, std::int64_t>& counts() const { return counts_; }

private:
    std::unordered_map<std::string, std::int64_t> counts_;
};

struct VocabOptions {
    std::int64_t min_freq = 1;
    std::vector<std::string> specials;
    bool special_first = true;
    std::optional<std::int64_t> max_tokens; // keeps the max_tokens - len(specials) most frequent
};

// build_vocab_from_iterator over the counted tokens. No default index is set.
Vocab build_vocab(const TokenCounter& counter, const VocabOptions& options = {});
Vocab build_vocab_from_iterator(const std::vector<std::vector<std::string>>& token_lists,
                                const VocabOptions& options = {});

} // namespace nnscope::data
