#pragma once
// Names the module that failed: while alive, forward pre- and forward hooks on every module of a
// tree keep a stack of the modules running, so that an error inside forward says which module
// (path and type) and on which input shapes, not just the op that failed.

#include "engine/nn/module.h"

#include <string>
#include <vector>

namespace nnscope::workflows {

class ForwardContext {
public:
    explicit ForwardContext(nn::Module& root);
    ~ForwardContext();
    ForwardContext(const ForwardContext&) = delete;
    ForwardContext& operator=(const ForwardContext&) = delete;

    // root(input); an exception thrown inside becomes std::invalid_argument("module 'PATH'
    // (TYPE) on input SHAPES: WHAT"), except those of type `Passthrough` (e.g. a cancellation),
    // which leave unchanged.
    template <class Passthrough = void> Tensor run(nn::Module& root, const Tensor& input) {
        try {
            return root(input);
        } catch (const std::exception& e) {
            if constexpr (!std::is_void_v<Passthrough>)
                if (dynamic_cast<const Passthrough*>(&e)) throw;
            rethrow_named(e);
        }
    }

private:
    [[noreturn]] void rethrow_named(const std::exception& e);

    std::vector<std::string> stack_;
    std::vector<HookHandle> handles_;
};

} // namespace nnscope::workflows
