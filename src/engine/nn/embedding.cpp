#include "engine/nn/embedding.h"

#include "engine/autograd/grad_mode.h"
#include "engine/nn/init.h"
#include "engine/ops/index.h"

#include <stdexcept>

namespace nnscope::nn {

namespace {

std::optional<std::int64_t> wrap_padding_idx(std::optional<std::int64_t> padding_idx,
                                             std::int64_t num_embeddings) {
    if (!padding_idx) return padding_idx;
    if (*padding_idx >= num_embeddings || *padding_idx < -num_embeddings)
        throw std::invalid_argument("Padding_idx must be within num_embeddings");
    return *padding_idx < 0 ? num_embeddings + *padding_idx : *padding_idx;
}

// Embedding's reset_parameters: N(0, 1) from the default generator, then the padding row zero.
void reset_embedding_weight(const Tensor& weight, std::optional<std::int64_t> padding_idx) {
    init::normal_(weight);
    if (padding_idx) {
        autograd::NoGradGuard no_grad;
        weight.select(0, *padding_idx).fill_(0.0);
    }
}

std::string padding_repr(std::optional<std::int64_t> padding_idx) {
    return padding_idx ? ", padding_idx=" + std::to_string(*padding_idx) : std::string();
}

} // namespace

Embedding::Embedding(std::int64_t num_embeddings, std::int64_t embedding_dim,
                     std::optional<std::int64_t> padding_idx)
    : Module("Embedding")
    , num_embeddings_(num_embeddings)
    , embedding_dim_(embedding_dim)
    , padding_idx_(wrap_padding_idx(padding_idx, num_embeddings)) {
    register_parameter("weight", Tensor::empty({num_embeddings, embedding_dim}));
    reset_parameters();
}

void Embedding::reset_parameters() {
    reset_embedding_weight(weight(), padding_idx_);
}

Tensor Embedding::forward(const Tensor& indices) {
    return embedding(weight(), indices, padding_idx_);
}

Arguments Embedding::arguments() const {
    return {{"num_embeddings", num_embeddings_},
            {"embedding_dim", embedding_dim_},
            {"padding_idx", padding_idx_ ? Value(*padding_idx_) : Value()}};
}

std::string Embedding::extra_repr() const {
    return std::to_string(num_embeddings_) + ", " + std::to_string(embedding_dim_) +
           padding_repr(padding_idx_);
}

EmbeddingBag::EmbeddingBag(std::int64_t num_embeddings, std::int64_t embedding_dim,
                           std::string mode, bool include_last_offset,
                           std::optional<std::int64_t> padding_idx)
    : Module("EmbeddingBag")
    , num_embeddings_(num_embeddings)
    , embedding_dim_(embedding_dim)
    , mode_(std::move(mode))
    , include_last_offset_(include_last_offset)
    , padding_idx_(wrap_padding_idx(padding_idx, num_embeddings)) {
    if (mode_ != "sum" && mode_ != "mean" && mode_ != "max")
        throw std::invalid_argument("mode has to be one of sum, mean or max");
    register_parameter("weight", Tensor::empty({num_embeddings, embedding_dim}));
    reset_parameters();
}

void EmbeddingBag::reset_parameters() {
    reset_embedding_weight(weight(), padding_idx_);
}

Tensor EmbeddingBag::forward(const Tensor& input) {
    return forward_inputs({input});
}

Tensor EmbeddingBag::forward_inputs(const std::vector<Tensor>& inputs) {
    const Tensor offsets = inputs.size() > 1 ? inputs[1] : Tensor();
    const Tensor per_sample_weights = inputs.size() > 2 ? inputs[2] : Tensor();
    return embedding_bag(weight(), inputs.at(0), offsets, mode_, per_sample_weights,
                         include_last_offset_, padding_idx_);
}

Arguments EmbeddingBag::arguments() const {
    return {{"num_embeddings", num_embeddings_},
            {"embedding_dim", embedding_dim_},
            {"mode", mode_},
            {"include_last_offset", include_last_offset_},
            {"padding_idx", padding_idx_ ? Value(*padding_idx_) : Value()}};
}

std::string EmbeddingBag::extra_repr() const {
    return std::to_string(num_embeddings_) + ", " + std::to_string(embedding_dim_) +
           ", mode=" + mode_ + padding_repr(padding_idx_);
}

} // namespace nnscope::nn
