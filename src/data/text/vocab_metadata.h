#pragma once
// A text model's vocabulary in its file's metadata, so that a later run tokenizes text exactly
// as training did (the ids a model learnt mean nothing under another vocabulary). Keys:
//   "nnscope.vocab"                JSON list of the tokens by index: ["<unk>", "<pad>", "the", ...]
//   "nnscope.vocab_default_index"  decimal index given to unknown tokens; absent when none
//   "nnscope.tokenizer"            the tokenizer the ids come from: "basic_english"

#include "data/text/vocab.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace nnscope::data {

inline constexpr std::string_view vocab_metadata_key = "nnscope.vocab";
inline constexpr std::string_view vocab_default_index_metadata_key = "nnscope.vocab_default_index";
inline constexpr std::string_view tokenizer_metadata_key = "nnscope.tokenizer";

// Adds the three keys for `vocab` (its ids made by basic_english_tokenize) to `metadata`.
void write_vocab_metadata(const Vocab& vocab, std::map<std::string, std::string>& metadata);

// The vocabulary a file's metadata holds, or nullopt when it has none. Throws
// std::invalid_argument naming the key when a value is malformed.
std::optional<Vocab> read_vocab_metadata(const std::map<std::string, std::string>& metadata);

} // namespace nnscope::data
