#pragma once
// nn.Dropout: zeroes elements with probability p in training (scaling the rest by 1/(1-p)),
// identity in eval. Draws from the calling thread's default_generator() (engine/generator.h)
// unless given another one.

#include "engine/nn/module.h"

namespace nnscope {
class Generator;
}

namespace nnscope::nn {

class Dropout final : public Module {
public:
    // inplace is kept for repr and the model file; the result is computed out of place.
    explicit Dropout(double p = 0.5, bool inplace = false);
    Tensor forward(const Tensor& input) override;
    Arguments arguments() const override { return {{"p", p_}, {"inplace", inplace_}}; }
    std::string extra_repr() const override;
    // nullptr: the default generator. The generator must outlive the module's calls.
    void set_generator(Generator* generator) { generator_ = generator; }
    double p() const { return p_; }

private:
    double p_;
    bool inplace_;
    Generator* generator_ = nullptr;
};

} // namespace nnscope::nn
