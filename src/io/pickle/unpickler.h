#pragma once
// A restricted unpickler: it implements the opcodes PyTorch's weights_only unpickler accepts (plus
// BINFLOAT, which real checkpoints need, and the plain-data opcodes of protocols 3-5), resolves
// globals only through the allowlist in globals.h, never imports or runs anything, and bounds
// everything a hostile file could inflate: every length is checked against the bytes left, the
// number of values and the nesting depth are capped, and containers cannot be changed once they
// are nested (so there are no cycles and every walk over the result terminates).

#include "io/pickle/globals.h"
#include "io/pickle/value.h"

#include <cstddef>
#include <functional>

namespace nnscope::io::pickle {

struct UnpicklerOptions {
    // TorchScript archives: __torch__.* classes become inert Object values.
    bool torchscript = false;
    // Turns a persistent id (a tuple such as ('storage', torch.FloatStorage, '0', 'cpu', 6)) into
    // a value; BINPERSID is refused when it is empty.
    std::function<ValuePtr(const Value& pid)> persistent_load;
    std::size_t max_values = std::size_t(1) << 22; // about 0.5 GB of values at worst
    std::size_t max_depth = 200;                   // nesting of containers
};

struct UnpickleResult {
    ValuePtr value;
    std::size_t consumed = 0; // bytes up to and including STOP
};

// Reads one pickle from the front of [data, data + size). Throws UnsafePickleError (naming the
// global or opcode) for anything outside the allowlist and PickleError for malformed input, each
// with the byte position.
UnpickleResult unpickle(const std::byte* data, std::size_t size,
                        const UnpicklerOptions& options = {});

} // namespace nnscope::io::pickle
