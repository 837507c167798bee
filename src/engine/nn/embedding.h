#pragma once
// nn.Embedding and nn.EmbeddingBag: a [num_embeddings, embedding_dim] weight drawn from N(0, 1),
// with the padding_idx row (negative counts from the end) zeroed and left without gradient.

#include "engine/nn/module.h"

#include <optional>

namespace nnscope::nn {

class Embedding final : public Module {
public:
    Embedding(std::int64_t num_embeddings, std::int64_t embedding_dim,
              std::optional<std::int64_t> padding_idx = std::nullopt);
    Tensor forward(const Tensor& indices) override;
    Arguments arguments() const override;
    std::string extra_repr() const override;
    void reset_parameters();
    Tensor weight() const { return parameter("weight"); }

private:
    std::int64_t num_embeddings_;
    std::int64_t embedding_dim_;
    std::optional<std::int64_t> padding_idx_;
};

// forward(input) for a 2-D input of equal bags; forward(input, offsets) for a 1-D input split by
// offsets; a third tensor gives per_sample_weights (mode "sum" only, as PyTorch).
class EmbeddingBag final : public Module {
public:
    EmbeddingBag(std::int64_t num_embeddings, std::int64_t embedding_dim, std::string mode = "mean",
                 bool include_last_offset = false,
                 std::optional<std::int64_t> padding_idx = std::nullopt);
    Tensor forward(const Tensor& input) override;
    std::size_t max_inputs() const override { return 3; }
    Arguments arguments() const override;
    std::string extra_repr() const override;
    void reset_parameters();
    Tensor weight() const { return parameter("weight"); }

protected:
    Tensor forward_inputs(const std::vector<Tensor>& inputs) override;

private:
    std::int64_t num_embeddings_;
    std::int64_t embedding_dim_;
    std::string mode_;
    bool include_last_offset_;
    std::optional<std::int64_t> padding_idx_;
};

} // namespace nnscope::nn
