#pragma once
// Collate functions for batches of (text, label) samples, as the torchtext AG_NEWS tutorial
// writes them. A sample's text is either a string (tokenised with basic_english and looked up in
// the vocabulary: the tutorial's text_pipeline) or a 1-D int64 tensor of token ids already.

#include "data/collate.h"
#include "data/text/vocab.h"

#include <memory>

namespace nnscope::data {

// text_pipeline: vocab(basic_english(text)).
std::vector<std::int64_t> numericalize(const Vocab& vocab, std::string_view text);

// The tutorial's collate_batch, for EmbeddingBag(ids, offsets): the tuple
//   (labels int64 [B], ids int64 [total tokens] = torch.cat of the samples' ids,
//    offsets int64 [B] = cumsum([0] + lengths[:-1])).
CollateFn offsets_collate(std::shared_ptr<const Vocab> vocab);

// Pads to the longest sample with pad_index, as pad_sequence(batch_first=True,
// padding_value=pad_index): the tuple (labels int64 [B], ids int64 [B, L], lengths int64 [B]).
CollateFn padding_collate(std::shared_ptr<const Vocab> vocab, std::int64_t pad_index);
// The same with the vocabulary's "<pad>" index (std::invalid_argument when it has none).
CollateFn padding_collate(std::shared_ptr<const Vocab> vocab);

} // namespace nnscope::data
