#pragma once
// A training run's initialisation (training_config.h's InitConfig) as a PyTorch script applies
// it: model.apply(init) right after the model is built, so that it draws from the default
// generator after the model's own reset_parameters() and before the DataLoader shuffles:
//
//   def init(m):
//       if isinstance(m, (nn.Linear, nn.Conv2d, nn.Embedding, nn.EmbeddingBag)):
//           nn.init.xavier_uniform_(m.weight)   # or the scheme's own call
//           if getattr(m, "bias", None) is not None: nn.init.zeros_(m.bias)
//   model.apply(init)
//
// kaiming_* use mode="fan_in", nonlinearity="relu"; "normal" is normal_(w, 0, std); "zeros"
// zeroes the weight too. "default" changes nothing (PyTorch's reset_parameters stays).

#include "engine/nn/module.h"
#include "workflows/training_config.h"

#include <string>

namespace nnscope::workflows {

// The PyTorch call a scheme makes on a weight, e.g. "nn.init.kaiming_normal_(m.weight,
// nonlinearity=\"relu\")"; empty for "default". For the window's and the script's text.
std::string init_call(const InitConfig& init);

// Applies `init` to every Linear, Conv2d, Embedding and EmbeddingBag of `model` (children first,
// as Module::apply). Draws from the calling thread's default generator. data::ConfigError for an
// unknown scheme.
void apply_init(nn::Module& model, const InitConfig& init);

} // namespace nnscope::workflows
