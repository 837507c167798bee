#include "workflows/train_model.h"

#include "data/config_error.h"
#include "engine/autograd/grad_mode.h"
#include "engine/nn/container.h"
#include "engine/nn/embedding.h"
#include "engine/nn/linear.h"
#include "engine/random.h"
#include "io/architecture.h"
#include "workflows/default_models.h"

#include <filesystem>

namespace nnscope::workflows {

io::NativeModel build_text_classifier(std::int64_t vocab_size, std::int64_t classes,
                                      std::uint64_t seed, std::int64_t embed_dim) {
    manual_seed(seed);
    auto embedding = std::make_shared<nn::EmbeddingBag>(vocab_size, embed_dim, "mean");
    auto fc = std::make_shared<nn::Linear>(embed_dim, classes);
    {
        autograd::NoGradGuard no_grad;
        Tensor w = embedding->weight();
        uniform_(w, -0.5, 0.5, default_generator());
        Tensor fw = fc->parameter("weight");
        uniform_(fw, -0.5, 0.5, default_generator());
        fc->parameter("bias").zero_();
    }
    io::NativeModel model;
    model.module = std::make_shared<nn::Sequential>(
        std::vector<std::pair<std::string, nn::ModulePtr>>{{"embedding", embedding}, {"fc", fc}});
    model.architecture = io::describe_module(*model.module);
    model.seed = seed;
    return model;
}

io::NativeModel make_train_model(const std::string& name, const TrainData& data,
                                 std::uint64_t seed) {
    if (name == "textcls") {
        if (!data.vocab)
            throw data::ConfigError(
                "model", "{model} textcls needs a text data set ({dataset} ag-news:PATH)");
        return build_text_classifier(data.vocab->size(), data.classes, seed);
    }
    if (auto json = default_model_architecture(name)) {
        if (data.vocab)
            throw data::ConfigError("model",
                                    "{model} " + name + " takes images; use textcls for " +
                                        data.description.substr(0, data.description.find(' ')));
        return io::build_native_model(io::parse_architecture(*json), seed);
    }
    if (!std::filesystem::exists(name))
        throw data::ConfigError("model", "unknown {model} '" + name +
                                             "' (mlp, cnn, textcls, or a native model file)");
    return io::load_native_model(name);
}

Tensor forward_batch(nn::Module& model, const ModelBatch& batch) {
    if (!batch.offsets.defined()) return model(batch.inputs);
    const auto children = model.named_children();
    if (model.type_name() != "Sequential" || children.empty() || !children.front().second ||
        children.front().second->type_name() != "EmbeddingBag")
        throw std::invalid_argument("train: text batches need a Sequential whose first module is "
                                    "an EmbeddingBag, got " +
                                    model.type_name());
    Tensor x = (*children.front().second)(batch.inputs, batch.offsets);
    for (std::size_t i = 1; i < children.size(); ++i)
        if (children[i].second) x = (*children[i].second)(x);
    return x;
}

} // namespace nnscope::workflows
