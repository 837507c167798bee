#include "io/type_inference.h"

#include "io/model_document.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nnscope::io {

namespace {

using Held = std::map<std::string, const TensorEntry*, std::less<>>; // leaf name -> tensor

struct Guess {
    std::string type;
    std::string reason;
    std::string arguments;
};

std::string shape_text(const Shape& shape) {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

std::string tuple_text(Shape::const_iterator begin, Shape::const_iterator end) {
    std::string text = "(";
    for (auto it = begin; it != end; ++it)
        text += (it == begin ? "" : ", ") + std::to_string(*it);
    return text + (end - begin == 1 ? ",)" : ")");
}

std::string described(const TensorEntry& t, std::string_view leaf) {
    return std::string(leaf) + " " + shape_text(t.shape);
}

const char* yes_no(bool b) {
    return b ? "True" : "False";
}

const TensorEntry* get(const Held& held, std::string_view leaf) {
    const auto it = held.find(leaf);
    return it == held.end() ? nullptr : it->second;
}

// The words of a module name, lower case: "final_layer_norm" -> final, layer, norm; "ln_1" -> ln.
std::vector<std::string> words(std::string_view name) {
    std::vector<std::string> out(1);
    for (const char c : name) {
        if (std::isalpha(static_cast<unsigned char>(c)))
            out.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        else if (!out.back().empty())
            out.emplace_back();
    }
    if (out.back().empty()) out.pop_back();
    return out;
}

bool has_word(const std::vector<std::string>& w, std::string_view word) {
    return std::find(w.begin(), w.end(), word) != w.end();
}

bool any_word_contains(const std::vector<std::string>& w, std::string_view part) {
    return std::any_of(w.begin(), w.end(),
                       [&](const std::string& s) { return s.find(part) != std::string::npos; });
}

std::optional<Guess> batch_norm(const Held& held) {
    std::vector<std::string> stats;
    for (const char* leaf : {"running_mean", "running_var", "num_batches_tracked"})
        if (get(held, leaf)) stats.emplace_back(leaf);
    if (stats.empty()) return std::nullopt;
    std::string listed = stats[0];
    for (std::size_t i = 1; i < stats.size(); ++i)
        listed += (i + 1 == stats.size() ? " and " : ", ") + stats[i];
    Guess g{"BatchNorm", listed + ": a batch normalisation's running statistics", ""};
    const TensorEntry* mean = get(held, "running_mean");
    if (mean && mean->shape.size() == 1)
        g.arguments = "num_features=" + std::to_string(mean->shape[0]) + ", ";
    g.arguments += std::string("affine=") + yes_no(get(held, "weight") != nullptr);
    return g;
}

std::optional<Guess> recurrent(const Held& held) {
    const bool layered = get(held, "weight_ih_l0") != nullptr;
    const std::string suffix = layered ? "_l0" : "";
    const TensorEntry* ih = get(held, "weight_ih" + suffix);
    const TensorEntry* hh = get(held, "weight_hh" + suffix);
    if (!ih || !hh || ih->shape.size() != 2 || hh->shape.size() != 2) return std::nullopt;
    const TensorEntry* hr = get(held, "weight_hr" + suffix); // an LSTM's projection
    const std::int64_t hidden = hr && hr->shape.size() == 2 ? hr->shape[1] : hh->shape[1];
    if (hidden <= 0 || ih->shape[0] % hidden) return std::nullopt;
    const std::int64_t gates = ih->shape[0] / hidden;
    const char* kind = gates == 4 ? "LSTM" : gates == 3 ? "GRU" : gates == 1 ? "RNN" : nullptr;
    if (!kind) return std::nullopt;
    Guess g{std::string(kind) + (layered ? "" : "Cell"),
            described(*ih, "weight_ih" + suffix) + " and " + described(*hh, "weight_hh" + suffix) +
                ": " + std::to_string(gates) + (gates == 1 ? " gate" : " gates") + " of " +
                std::to_string(hidden) + " hidden units, " +
                (gates == 4   ? "an LSTM"
                 : gates == 3 ? "a GRU"
                              : "a plain RNN"),
            ""};
    g.arguments =
        "input_size=" + std::to_string(ih->shape[1]) + ", hidden_size=" + std::to_string(hidden);
    if (layered) {
        int layers = 1;
        while (get(held, "weight_ih_l" + std::to_string(layers)))
            ++layers;
        g.arguments += ", num_layers=" + std::to_string(layers);
    }
    g.arguments += std::string(", bias=") + yes_no(get(held, "bias_ih" + suffix) != nullptr);
    if (layered)
        g.arguments +=
            std::string(", bidirectional=") + yes_no(get(held, "weight_ih_l0_reverse") != nullptr);
    if (hr) g.arguments += ", proj_size=" + std::to_string(hh->shape[1]);
    return g;
}

std::optional<Guess> attention(const Held& held) {
    if (const TensorEntry* in = get(held, "in_proj_weight"); in && in->shape.size() == 2)
        return Guess{"MultiheadAttention",
                     described(*in, "in_proj_weight") +
                         ": the packed query, key and value projections of an attention",
                     "embed_dim=" + std::to_string(in->shape[1])};
    if (const TensorEntry* q = get(held, "q_proj_weight"); q && q->shape.size() == 2)
        return Guess{"MultiheadAttention",
                     described(*q, "q_proj_weight") +
                         ": separate query, key and value projections of an attention",
                     "embed_dim=" + std::to_string(q->shape[0])};
    return std::nullopt;
}

Guess convolution(const std::vector<std::string>& name, const TensorEntry& w,
                  const TensorEntry* b) {
    const std::string dims = std::to_string(w.shape.size() - 2);
    const std::int64_t out = w.shape[0], second = w.shape[1];
    const bool named_transpose =
        any_word_contains(name, "transpose") || any_word_contains(name, "deconv");
    // A Conv's bias has out_channels = weight.shape[0] entries; a ConvTranspose's has
    // weight.shape[1] (times groups).
    const bool bias_says_conv = b && b->shape.size() == 1 && b->shape[0] == out && out != second;
    const bool bias_says_transpose =
        b && b->shape.size() == 1 && b->shape[0] != out && second > 0 && b->shape[0] % second == 0;
    Guess g;
    const std::string head = described(w, "weight") + ": ";
    if (bias_says_transpose || (named_transpose && !bias_says_conv)) {
        g.type = "ConvTranspose" + dims + "d";
        g.reason = head + "a " + dims + "-D transposed convolution (" +
                   (bias_says_transpose ? "its bias matches the weight's second dimension"
                                        : "so its name says") +
                   ")";
    } else {
        g.type = "Conv" + dims + "d";
        g.reason = head + "a " + dims + "-D convolution" +
                   (bias_says_conv ? " (its bias matches the weight's first dimension)"
                                   : " (a ConvTranspose" + dims +
                                         "d stores the same shape: the shape alone cannot tell)");
    }
    g.arguments = "kernel_size=" + tuple_text(w.shape.begin() + 2, w.shape.end()) +
                  ", bias=" + yes_no(b != nullptr);
    return g;
}

std::optional<Guess> matrix(const std::vector<std::string>& name, const TensorEntry& w,
                            const TensorEntry* b) {
    const std::int64_t rows = w.shape[0], cols = w.shape[1];
    const std::string head = described(w, "weight");
    const bool embedding_name = any_word_contains(name, "emb") || has_word(name, "wte") ||
                                has_word(name, "wpe") || has_word(name, "shared");
    if (!b && embedding_name)
        return Guess{"Embedding",
                     head + " without a bias under an embedding's name: " + std::to_string(rows) +
                         " vectors of " + std::to_string(cols),
                     "num_embeddings=" + std::to_string(rows) +
                         ", embedding_dim=" + std::to_string(cols)};
    // Hugging Face's GPT-2 Conv1D stores weight [in, out]: its bias matches the second dimension.
    const bool gpt2_name = has_word(name, "c") && (has_word(name, "attn") ||
                                                   has_word(name, "proj") || has_word(name, "fc"));
    if (b && b->shape.size() == 1 &&
        ((b->shape[0] == cols && cols != rows) || (rows == cols && gpt2_name)))
        return Guess{"Conv1D",
                     head + " and bias " + shape_text(b->shape) +
                         (cols != rows ? ": the bias matches the second dimension, "
                                       : ": a square weight under GPT-2's c_attn/c_proj/c_fc "
                                         "names, ") +
                         "Hugging Face's Conv1D (weight [in, out])",
                     "nf=" + std::to_string(cols) + ", nx=" + std::to_string(rows)};
    if (b && (b->shape.size() != 1 || b->shape[0] != rows)) return std::nullopt;
    return Guess{"Linear",
                 head + (b ? " and bias " + shape_text(b->shape) : std::string(" without a bias")) +
                     ": a linear layer from " + std::to_string(cols) + " to " +
                     std::to_string(rows) + " features",
                 "in_features=" + std::to_string(cols) + ", out_features=" + std::to_string(rows) +
                     ", bias=" + yes_no(b != nullptr)};
}

std::optional<Guess> affine_vector(const std::vector<std::string>& name, const TensorEntry& w,
                                   const TensorEntry* b) {
    if (b && b->shape != w.shape) return std::nullopt;
    const std::string head = described(w, "weight") + (b ? " and bias" : "");
    const std::string size = std::to_string(w.shape[0]);
    if (has_word(name, "gn") || any_word_contains(name, "groupnorm") ||
        (has_word(name, "group") && has_word(name, "norm")))
        return Guess{"GroupNorm", head + " under a group norm's name: its affine parameters",
                     "num_channels=" + size};
    const bool norm_name = has_word(name, "ln") || any_word_contains(name, "norm");
    if (!b && has_word(name, "prelu"))
        return Guess{"PReLU", head + " under a PReLU's name: its slopes", "num_parameters=" + size};
    if (!norm_name && !b) return std::nullopt;
    return Guess{"LayerNorm",
                 head + (norm_name ? " under a normalisation's name" : "") +
                     " without running statistics: a layer norm's affine parameters" +
                     (norm_name ? "" : " (a GroupNorm or InstanceNorm stores the same)"),
                 "normalized_shape=(" + size + ",)"};
}

// Modules holding only weight (and bias): told apart by the weight's rank.
std::optional<Guess> weighted(std::string_view path, const Held& held) {
    for (const auto& [leaf, tensor] : held)
        if (leaf != "weight" && leaf != "bias") return std::nullopt;
    const TensorEntry* w = get(held, "weight");
    if (!w) return std::nullopt;
    const TensorEntry* b = get(held, "bias");
    const auto dot = path.rfind('.');
    const auto name = words(dot == std::string_view::npos ? path : path.substr(dot + 1));
    switch (w->shape.size()) {
    case 1:
        return affine_vector(name, *w, b);
    case 2:
        return matrix(name, *w, b);
    case 3:
    case 4:
    case 5:
        return convolution(name, *w, b);
    default:
        return std::nullopt;
    }
}

std::optional<Guess> guess(std::string_view path, const Held& held) {
    for (auto* rule : {batch_norm, recurrent, attention})
        if (auto g = rule(held)) return g;
    return weighted(path, held);
}

// How many spatial dimensions a neighbour of a BatchNorm implies: 1 for a Linear (BatchNorm1d
// follows linear layers), n for an n-D (transposed) convolution, 0 when it says nothing.
int dims_implied(const std::string& type) {
    if (type == "Linear") return 1;
    if (type.size() >= 6 && type.starts_with("Conv") && type.ends_with("d") && type != "Conv1D")
        return type[type.size() - 2] - '0';
    return 0;
}

std::string_view parent_of(std::string_view path) {
    const auto dot = path.rfind('.');
    return dot == std::string_view::npos ? std::string_view() : path.substr(0, dot);
}

using Position = std::ptrdiff_t;

// The position in `sorted` nearest to k (the earlier one on a tie), or -1 when it is empty.
Position nearest(const std::vector<Position>& sorted, Position k) {
    const auto after = std::lower_bound(sorted.begin(), sorted.end(), k);
    if (after == sorted.begin()) return after == sorted.end() ? -1 : *after;
    const Position before = *std::prev(after);
    return after == sorted.end() || k - before <= *after - k ? before : *after;
}

// The BatchNorms of one parent among its guessed children, in file order. A BatchNorm takes its
// dimension from the nearest conv or linear sibling whose weight has num_features channels (its
// input, or its output when the norm comes first, as in DenseNet), else from the nearest one:
// file order alone misleads in safetensors, whose names are sorted.
class BatchNormSiblings {
public:
    BatchNormSiblings(ModelDocument& document,
                      const std::unordered_map<std::string_view, Held>& held,
                      std::vector<std::size_t> members)
        : document_(document)
        , members_(std::move(members)) {
        for (std::size_t k = 0; k < members_.size(); ++k) {
            if (!dims_implied(type(k))) continue;
            deciders_.push_back(Position(k));
            const TensorEntry* w = get(held.at(path(k)), "weight");
            for (std::size_t d = 0; w && d < std::min<std::size_t>(2, w->shape.size()); ++d)
                by_channels_[w->shape[d]].push_back(Position(k));
        }
        for (auto& [channels, positions] : by_channels_)
            positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
    }

    // The sibling deciding the k-th member's dimension, or -1.
    Position decider(std::size_t k, std::int64_t num_features) const {
        const auto it = by_channels_.find(num_features);
        if (it != by_channels_.end()) return nearest(it->second, Position(k));
        return nearest(deciders_, Position(k));
    }

    std::size_t size() const { return members_.size(); }
    std::string& type(std::size_t k) { return document_.modules[members_[k]].second; }
    const std::string& path(std::size_t k) const { return document_.modules[members_[k]].first; }

private:
    ModelDocument& document_;
    std::vector<std::size_t> members_;
    std::vector<Position> deciders_;
    std::unordered_map<std::int64_t, std::vector<Position>> by_channels_;
};

// Gives each guessed BatchNorm its dimension from a sibling (BatchNormSiblings), else from the
// file's convolutions when they all agree.
void settle_batch_norms(ModelDocument& document,
                        const std::unordered_map<std::string_view, Held>& held,
                        const std::vector<std::size_t>& guessed) {
    std::map<std::string_view, std::vector<std::size_t>> children; // parent -> module indices
    int file_dims = 0;
    bool dims_agree = true;
    for (const std::size_t i : guessed) {
        children[parent_of(document.modules[i].first)].push_back(i);
        const int d = dims_implied(document.modules[i].second);
        if (d && document.modules[i].second != "Linear") {
            dims_agree = dims_agree && (file_dims == 0 || file_dims == d);
            file_dims = d;
        }
    }
    for (auto& [parent, members] : children) {
        BatchNormSiblings siblings(document, held, std::move(members));
        for (std::size_t k = 0; k < siblings.size(); ++k) {
            if (siblings.type(k) != "BatchNorm") continue;
            const TensorEntry* mean = get(held.at(siblings.path(k)), "running_mean");
            const Position j =
                siblings.decider(k, mean && mean->shape.size() == 1 ? mean->shape[0] : -1);
            std::string& reason = document.inferred_types[siblings.path(k)];
            if (j >= 0) {
                const std::string near = siblings.type(static_cast<std::size_t>(j));
                const std::string dims = std::to_string(dims_implied(near));
                siblings.type(k) += dims + "d";
                reason += "; " + dims + "-D as its neighbour '" +
                          siblings.path(static_cast<std::size_t>(j)) + "' (" + near + ")";
            } else if (file_dims && dims_agree) {
                siblings.type(k) += std::to_string(file_dims) + "d";
                reason += "; " + std::to_string(file_dims) + "-D as every convolution in the file";
            } else {
                reason += "; no neighbouring conv or linear layer tells 1-D, 2-D or 3-D";
            }
        }
    }
}

} // namespace

void infer_module_types(ModelDocument& document) {
    std::unordered_map<std::string_view, Held> held; // module path -> its own tensors
    for (const auto& [path, type] : document.modules)
        if (type.empty()) held.try_emplace(path);
    if (held.empty()) return;
    for (const TensorEntry& entry : document.tensors) {
        if (entry.role == TensorRole::Unknown) continue;
        const std::string_view name = entry.name;
        const auto it = held.find(parent_of(name));
        if (it != held.end()) it->second.emplace(name.substr(name.rfind('.') + 1), &entry);
    }
    std::vector<std::size_t> guessed;
    for (std::size_t i = 0; i < document.modules.size(); ++i) {
        auto& [path, type] = document.modules[i];
        const auto it = held.find(path);
        if (it == held.end() || it->second.empty()) continue;
        std::optional<Guess> g = guess(path, it->second);
        if (!g) continue;
        type = g->type;
        document.inferred_types[path] = std::move(g->reason);
        if (!g->arguments.empty()) document.module_arguments[path] = std::move(g->arguments);
        guessed.push_back(i);
    }
    settle_batch_norms(document, held, guessed);
}

} // namespace nnscope::io
