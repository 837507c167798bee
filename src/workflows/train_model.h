#pragma once
// The models of a training run: the bundled mlp and cnn, textcls, or a native model file,
// and the forward pass for a batch.

#include "io/native_model.h"
#include "workflows/train_data.h"

#include <string>

namespace nnscope::workflows {

// textcls as torchtext's AG_NEWS tutorial (TextClassificationModel) builds it after
// torch.manual_seed(seed): EmbeddingBag(vocab_size, 64, mode="mean") and Linear(64, classes)
// with their default init, then init_weights: both weights uniform in [-0.5, 0.5], bias zero.
// It is a Sequential with children "embedding" and "fc", so its state_dict keys are the
// tutorial's and a saved file runs on equal-length bags ([B, L] ids) as it is.
io::NativeModel build_text_classifier(std::int64_t vocab_size, std::int64_t classes,
                                      std::uint64_t seed, std::int64_t embed_dim = 64);

// mlp | cnn (built after manual_seed(seed)) | textcls | a native model file. data::ConfigError
// (field "model") for an unknown name or a model that does not fit the data.
io::NativeModel make_train_model(const std::string& name, const TrainData& data,
                                 std::uint64_t seed);

// Logits [B, classes]. With offsets (text), the first child of the Sequential must be an
// EmbeddingBag: it takes (ids, offsets), the other children follow in order.
Tensor forward_batch(nn::Module& model, const ModelBatch& batch);

} // namespace nnscope::workflows
