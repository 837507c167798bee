#include "data/text/vocab_metadata.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace nnscope::data {

void write_vocab_metadata(const Vocab& vocab, std::map<std::string, std::string>& metadata) {
    metadata[std::string(vocab_metadata_key)] = nlohmann::json(vocab.itos()).dump();
    if (vocab.default_index())
        metadata[std::string(vocab_default_index_metadata_key)] =
            std::to_string(*vocab.default_index());
    metadata[std::string(tokenizer_metadata_key)] = "basic_english";
}

std::optional<Vocab> read_vocab_metadata(const std::map<std::string, std::string>& metadata) {
    const auto it = metadata.find(std::string(vocab_metadata_key));
    if (it == metadata.end()) return std::nullopt;
    std::vector<std::string> itos;
    try {
        itos = nlohmann::json::parse(it->second).get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception& e) {
        throw std::invalid_argument(std::string(vocab_metadata_key) +
                                    ": expected a JSON list of strings (" + e.what() + ")");
    }
    Vocab vocab(std::move(itos));
    const auto tokenizer = metadata.find(std::string(tokenizer_metadata_key));
    if (tokenizer != metadata.end() && tokenizer->second != "basic_english")
        throw std::invalid_argument(std::string(tokenizer_metadata_key) + ": unknown tokenizer '" +
                                    tokenizer->second + "' (basic_english)");
    const auto index = metadata.find(std::string(vocab_default_index_metadata_key));
    if (index != metadata.end()) {
        std::size_t used = 0;
        std::int64_t i = -1;
        try {
            i = std::stoll(index->second, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != index->second.size() || i < 0 || i >= vocab.size())
            throw std::invalid_argument(
                std::string(vocab_default_index_metadata_key) + ": expected an index below " +
                std::to_string(vocab.size()) + ", got '" + index->second + "'");
        vocab.set_default_index(i);
    }
    return vocab;
}

} // namespace nnscope::data
