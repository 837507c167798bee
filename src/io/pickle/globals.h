#pragma once
// The allowlist of globals a pickle may name, and what calling one means. It follows PyTorch
// 1.13's torch/_weights_only_unpickler.py (OrderedDict, torch._utils rebuild functions, storage
// and tensor classes, dtypes, torch.Size, Parameter, _get_layout) plus what later weights_only
// loaders and the TorchScript unpickler accept and what real checkpoints need: bfloat16/bool/uint8
// dtypes, _rebuild_parameter_with_state, _rebuild_from_type_v2, torch.device, the
// torch.jit._pickle list helpers and, in TorchScript archives only, __torch__.* classes as inert
// names. Any other global becomes an inert reference: calling or instantiating it builds a
// Placeholder (its name, arguments and state as data). Nothing is imported or executed.

#include "io/pickle/value.h"

#include <stdexcept>
#include <string>
#include <string_view>

namespace nnscope::io::pickle {

// A malformed pickle: wrong types, missing items, impossible sizes.
class PickleError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A pickle that asks for something that cannot be represented as data (an opcode that reaches
// outside the pickle: the copyreg extension registry, out-of-band buffers, text persistent ids).
// `what()` names it; `name()` is the opcode alone.
class UnsafePickleError : public PickleError {
public:
    UnsafePickleError(std::string name, const std::string& message)
        : PickleError(message)
        , name_(std::move(name)) {}
    const std::string& name() const { return name_; }

private:
    std::string name_;
};

// Resolves module.name: a known global, or an inert Unknown reference.
ValuePtr resolve_global(std::string_view module, std::string_view name, bool torchscript);

// REDUCE: callable(*args). Throws PickleError for malformed arguments.
ValuePtr apply_reduce(const Value& callable, const Value& args);
// NEWOBJ: cls.__new__(cls, *args); Parameter, OrderedDict and set are built, TorchScript classes
// become Objects and unknown classes Placeholders.
ValuePtr apply_newobj(const Value& cls, const Value& args);
// BUILD: inst.__setstate__(state) for the few kinds where that is plain data. May replace `inst`.
void apply_build(ValuePtr& inst, const ValuePtr& state);

// "torch.FloatStorage" -> Float32 etc. nullopt for storage types nnscope has no dtype for.
std::optional<DType> storage_type_dtype(std::string_view name);
// The other way, for writers: Float32 -> "FloatStorage" (without "torch."), from the same table.
std::string_view storage_class_name(DType dtype);

} // namespace nnscope::io::pickle
