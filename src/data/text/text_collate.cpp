#include "data/text/text_collate.h"

#include "data/text/basic_english.h"

#include <stdexcept>

namespace nnscope::data {

namespace {

struct TextBatch {
    std::vector<std::int64_t> labels;
    std::vector<std::vector<std::int64_t>> ids;
};

std::vector<std::int64_t> sample_ids(const Sample& text, const Vocab* vocab) {
    if (text.is_text()) {
        if (!vocab) throw std::invalid_argument("text collate: a string sample needs a vocabulary");
        return numericalize(*vocab, text.text());
    }
    if (text.is_tensor()) {
        const Tensor& t = text.tensor();
        if (t.dim() != 1 || t.dtype() != DType::Int64)
            throw std::invalid_argument("text collate: token ids must be a 1-D int64 tensor, got " +
                                        shape_to_string(t.shape()) + " " +
                                        std::string(dtype_name(t.dtype())));
        return t.to_int64_vector();
    }
    throw std::invalid_argument(std::string("text collate: a sample's text must be a string or "
                                            "a tensor of token ids, got ") +
                                text.kind());
}

TextBatch split_batch(const std::vector<Sample>& batch, const Vocab* vocab) {
    if (batch.empty()) throw std::invalid_argument("text collate: empty batch");
    TextBatch out;
    for (const auto& s : batch) {
        if (!s.is_tuple() || s.items().size() != 2)
            throw std::invalid_argument(std::string("text collate: samples must be (text, label) "
                                                    "tuples, got ") +
                                        s.kind());
        out.ids.push_back(sample_ids(s[0], vocab));
        out.labels.push_back(s[1].integer());
    }
    return out;
}

Tensor int64_vector(std::vector<std::int64_t> v) {
    const auto n = static_cast<std::int64_t>(v.size());
    return Tensor::from_int64(v, {n});
}

} // namespace

std::vector<std::int64_t> numericalize(const Vocab& vocab, std::string_view text) {
    return vocab.lookup_indices(basic_english_tokenize(text));
}

CollateFn offsets_collate(std::shared_ptr<const Vocab> vocab) {
    return [vocab](std::vector<Sample> batch) {
        const TextBatch b = split_batch(batch, vocab.get());
        std::vector<std::int64_t> ids, offsets;
        for (const auto& sample : b.ids) {
            offsets.push_back(static_cast<std::int64_t>(ids.size()));
            ids.insert(ids.end(), sample.begin(), sample.end());
        }
        return Sample::tuple({Sample(int64_vector(b.labels)), Sample(int64_vector(std::move(ids))),
                              Sample(int64_vector(std::move(offsets)))});
    };
}

CollateFn padding_collate(std::shared_ptr<const Vocab> vocab, std::int64_t pad_index) {
    return [vocab, pad_index](std::vector<Sample> batch) {
        const TextBatch b = split_batch(batch, vocab.get());
        std::size_t longest = 0;
        std::vector<std::int64_t> lengths;
        for (const auto& sample : b.ids) {
            longest = std::max(longest, sample.size());
            lengths.push_back(static_cast<std::int64_t>(sample.size()));
        }
        std::vector<std::int64_t> padded(b.ids.size() * longest, pad_index);
        for (std::size_t i = 0; i < b.ids.size(); ++i)
            std::copy(b.ids[i].begin(), b.ids[i].end(),
                      padded.begin() + static_cast<std::ptrdiff_t>(i * longest));
        const Tensor ids = Tensor::from_int64(
            padded, {static_cast<std::int64_t>(b.ids.size()), static_cast<std::int64_t>(longest)});
        return Sample::tuple({Sample(int64_vector(b.labels)), Sample(ids),
                              Sample(int64_vector(std::move(lengths)))});
    };
}

CollateFn padding_collate(std::shared_ptr<const Vocab> vocab) {
    if (!vocab || !vocab->contains("<pad>"))
        throw std::invalid_argument("padding_collate: the vocabulary has no '<pad>' token");
    const std::int64_t pad = (*vocab)["<pad>"];
    return padding_collate(std::move(vocab), pad);
}

} // namespace nnscope::data
