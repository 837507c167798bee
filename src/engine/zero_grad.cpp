#include "engine/zero_grad.h"

#include "engine/parallel.h"

#include <cstring>

namespace nnscope {

namespace {

// Bytes per parallel piece of a gradient's zero fill (a memset runs at memory speed).
constexpr std::int64_t kZeroGrain = 256 * 1024;

// grad.zero_(), with large contiguous gradients cleared by the team: all-zero bytes are 0 in
// every dtype, so memset of any cut gives the same tensor.
void zero_fill(Tensor& grad) {
    const std::int64_t bytes = grad.numel() * static_cast<std::int64_t>(element_size(grad.dtype()));
    if (!grad.is_contiguous() || bytes <= kZeroGrain || parallel::num_threads() == 1) {
        grad.zero_();
        return;
    }
    auto* data = static_cast<std::byte*>(grad.raw_data());
    parallel::parallel_for(bytes, kZeroGrain, [&](std::int64_t begin, std::int64_t end) {
        std::memset(data + begin, 0, static_cast<std::size_t>(end - begin));
    });
}

} // namespace

void zero_grads(const std::vector<Tensor>& params, bool set_to_none) {
    for (const Tensor& p : params) {
        Tensor grad = p.grad();
        if (!grad.defined()) continue;
        if (set_to_none) {
            Tensor(p).set_grad(Tensor());
            continue;
        }
        // PyTorch detaches in place (grad.detach_()); a gradient with a history is replaced by
        // its detached alias instead, which shares the storage that is zeroed below.
        if (!grad.is_leaf()) {
            grad = grad.detach();
            Tensor(p).set_grad(grad);
        } else if (grad.requires_grad()) {
            grad.requires_grad_(false);
        }
        zero_fill(grad);
    }
}

} // namespace nnscope
