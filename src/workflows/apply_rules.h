#pragma once
// Module.apply(fn) for initialisation, as a learner writes it (issue #17's builder): a list of
// rules "for every MODULE_TYPE, nn.init.SCHEME_(m.TENSOR)", run by apply, which visits the
// children first, depth-first, then the module itself. Each visited module gets the rules that
// match its type, in the order given, so the generator is drawn from exactly as this PyTorch
// does:
//
//   def init(m):
//       if type(m) is nn.Conv2d and getattr(m, "weight", None) is not None:
//           nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
//       if type(m) is nn.Conv2d and getattr(m, "bias", None) is not None:
//           nn.init.zeros_(m.bias)
//   model.apply(init)
//
// (one `if` per rule, on the exact type). A rule on a tensor the module lacks or holds as None is
// skipped, as `if m.bias is not None` would; the steps say so.

#include "engine/nn/module.h"

#include <string>
#include <vector>

namespace nnscope::workflows {

struct InitRule {
    std::string module_type; // "Conv2d"; "*" for every module
    std::string tensor;      // "weight", "bias", or any parameter or buffer name
    // zeros, ones, constant (a), normal (a = mean, b = std), uniform (a, b), xavier_uniform,
    // xavier_normal (b = gain), kaiming_uniform, kaiming_normal (mode fan_in, nonlinearity
    // relu); PyTorch's defaults when a and b are left as they are.
    std::string scheme;
    double a = 0.0;
    double b = 1.0;
};

struct ApplyStep {
    std::string path; // in apply's order
    std::string type;
    // Per matching rule: the call made ("nn.init.zeros_(m.bias)"), or why it was skipped.
    std::vector<std::string> calls;
    // Per call: the state_dict-style key of the tensor it initialised ("3.weight"), "" when it
    // was skipped.
    std::vector<std::string> keys;
};

// The schemes a rule may name, in the order above.
const std::vector<std::string>& init_scheme_names();

// Throws std::invalid_argument naming an unknown scheme before anything is changed, and
// std::runtime_error with PyTorch's ValueError / RuntimeError text when a rule reaches a lazy
// module's parameter before its first forward (not None, so PyTorch's guard lets nn.init run
// and raise): the modules visited before it keep their new values, as in PyTorch.
std::vector<ApplyStep> apply_rules(nn::Module& model, const std::vector<InitRule>& rules);

// The PyTorch code of the rules: the init function and the apply call.
std::string apply_rules_script(const std::vector<InitRule>& rules);

} // namespace nnscope::workflows
