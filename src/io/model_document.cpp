#include "io/model_document.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <unordered_set>

namespace nnscope::io {

const TensorEntry* ModelDocument::find(std::string_view name) const {
    for (const auto& entry : tensors)
        if (entry.name == name) return &entry;
    return nullptr;
}

TensorRole infer_state_dict_role(std::string_view name, DType dtype, const Shape& shape) {
    // Buffers that torch.nn modules and common model code register: BatchNorm's statistics,
    // Hugging Face's position and token type ids, rotary frequencies, fairseq's _float_tensor,
    // the positional encoding "pe" of PyTorch's transformer tutorial.
    static constexpr std::array<std::string_view, 11> buffer_names{"running_mean",
                                                                   "running_var",
                                                                   "num_batches_tracked",
                                                                   "position_ids",
                                                                   "masked_bias",
                                                                   "inv_freq",
                                                                   "_float_tensor",
                                                                   "token_type_ids",
                                                                   "mask",
                                                                   "pos_ids",
                                                                   "pe"};
    // Name endings of buffers: attention masks, caches and explicit buffers.
    static constexpr std::array<std::string_view, 3> buffer_suffixes{"_mask", "_buffer", "_cached"};
    const std::size_t dot = name.rfind('.');
    const std::string_view leaf = dot == std::string_view::npos ? name : name.substr(dot + 1);
    for (std::string_view buffer : buffer_names)
        if (leaf == buffer) return TensorRole::Buffer;
    for (std::string_view suffix : buffer_suffixes)
        if (leaf.ends_with(suffix)) return TensorRole::Buffer;
    if (leaf.starts_with("running_")) return TensorRole::Buffer;
    // A learned bias is 1-D; a "bias" of two or more dimensions is a mask (GPT-2's attn.bias).
    if (leaf == "bias" && shape.size() >= 2) return TensorRole::Buffer;
    return is_floating_point(dtype) ? TensorRole::Parameter : TensorRole::Buffer;
}

void check_module_depth(std::string_view path, std::string_view what) {
    const auto parts = static_cast<std::size_t>(std::count(path.begin(), path.end(), '.')) + 1;
    if (parts <= max_module_depth) return;
    const bool cut = path.size() > 64;
    throw std::runtime_error(std::string(what) + " '" + std::string(path.substr(0, 64)) +
                             (cut ? "...'" : "'") + " nests " + std::to_string(parts) +
                             " levels deep; nnscope reads module paths of at most " +
                             std::to_string(max_module_depth));
}

std::vector<std::pair<std::string, std::string>>
modules_from_tensor_names(const std::vector<TensorEntry>& tensors) {
    std::vector<std::pair<std::string, std::string>> modules;
    std::unordered_set<std::string> seen;
    for (const auto& entry : tensors) {
        check_module_depth(entry.name, "tensor");
        for (std::size_t dot = entry.name.find('.'); dot != std::string::npos;
             dot = entry.name.find('.', dot + 1)) {
            std::string path = entry.name.substr(0, dot);
            if (seen.insert(path).second) modules.emplace_back(std::move(path), "");
        }
    }
    return modules;
}

std::string view_identity(const TensorEntry& entry) {
    if (entry.storage.empty()) return {};
    std::string id = entry.storage + '|' + std::string(dtype_name(entry.dtype)) + '|' +
                     std::to_string(entry.storage_offset) + '|';
    for (const std::int64_t d : entry.shape)
        id += std::to_string(d) + ',';
    id += '|';
    for (const std::int64_t d : entry.strides)
        id += std::to_string(d) + ',';
    return id;
}

} // namespace nnscope::io
