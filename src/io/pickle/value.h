#pragma once
// The plain data a restricted unpickler builds: Python scalars and containers, references to
// globals, and the inert records that stand for tensors, storages, TorchScript objects and
// placeholders (what a call or an instance of an unknown class would have been). Nothing here can
// run code; a value only describes what the pickle said.

#include "engine/dtype.h"
#include "engine/tensor.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nnscope::io::pickle {

struct Value;
using ValuePtr = std::shared_ptr<Value>;

enum class Kind : std::uint8_t {
    None,
    Bool,
    Int,
    BigInt, // an integer wider than 64 bits: `text` holds its little-endian two's complement bytes
    Float,
    String,
    Bytes,
    Tuple,
    List,
    Dict, // `items` holds keys and values interleaved, in insertion order
    Set,
    Global,  // an allowlisted global; `text` is "module.name", `global` says which
    Storage, // what persistent_load returned for a ('storage', ...) id
    Tensor,
    Object, // a TorchScript object: class name + constructor args + state, never instantiated
    // A call of an unknown global or an instance of an unknown class, never made: `text` is the
    // global's "module.name", `items` the call's (or __new__'s) arguments, `state` what BUILD
    // gave it, `contents` the items SETITEM(S)/APPEND(S) added (dict and list subclasses).
    Placeholder,
};

// The globals the unpickler knows. Any other becomes an inert Unknown reference.
enum class GlobalId : std::uint8_t {
    Unknown, // not known: calling or instantiating it builds a Placeholder, nothing else
    OrderedDict,
    RebuildTensor,
    RebuildTensorV2,
    RebuildParameter,
    RebuildParameterWithState,
    RebuildFromTypeV2,
    RebuildMetaTensor,
    RebuildSparse, // a placeholder when called: nnscope reads strided tensors only
    Parameter,
    TorchSize,
    TorchTensor,
    GetLayout,
    Device,
    Dtype,       // torch.float32 etc.; `dtype` set when nnscope has it
    StorageType, // torch.FloatStorage etc.; `dtype` set when nnscope has it
    TensorType,  // legacy torch.FloatTensor etc.
    JitList,     // torch.jit._pickle.build_intlist and friends: identity on their list
    JitRestoreTypeTag,
    Complex,
    ScriptClass,  // __torch__.* in TorchScript archives: an inert class name
    CodecsEncode, // _codecs.encode(text, 'latin1'): how protocol 2 spells a bytes object
    Bytes,        // builtins.bytes() (an empty bytes object in protocol 2)
    Set,          // builtins.set / frozenset of a list
};

// A storage as a persistent id names it. `offset` and `numel` are in elements of `dtype`; for the
// legacy format's storage views `offset` points into the root storage called `key`.
struct StorageRef {
    std::string type_name; // "torch.FloatStorage"
    DType dtype = DType::Float32;
    std::string key;
    std::string location;
    std::int64_t offset = 0;
    std::int64_t numel = 0;
    // Data carried inside the pickle itself (a NumPy array's bytes); `key` is then only a name.
    std::shared_ptr<const std::string> inline_bytes;
};

struct TensorRef {
    std::shared_ptr<const StorageRef> storage; // null for a meta tensor (no data)
    DType dtype = DType::Float32;
    std::int64_t offset = 0; // in elements, relative to the storage
    Shape shape;
    Shape strides;
    bool requires_grad = false;
    bool is_parameter = false; // rebuilt through torch.nn.Parameter
};

struct Value {
    Kind kind = Kind::None;
    bool boolean = false;
    bool ordered = false;    // a Dict built from collections.OrderedDict
    bool sealed = false;     // inserted into a container: no longer mutable (rules out cycles)
    std::uint16_t depth = 0; // nesting below this value
    GlobalId global = GlobalId::Unknown;
    std::optional<DType> dtype; // Global Dtype/StorageType
    std::int64_t integer = 0;
    double real = 0.0;
    std::string text; // String, Bytes, BigInt bytes, Global and Object names
    std::vector<ValuePtr> items;
    std::shared_ptr<const StorageRef> storage;
    std::shared_ptr<const TensorRef> tensor;
    ValuePtr state;    // Object, Placeholder: what BUILD gave it (usually an attribute dict)
    ValuePtr contents; // Placeholder: a Dict or List of what SETITEM(S)/APPEND(S) added
    // Dict: position of each hashable key in `items` (its value follows it), so SETITEM replaces as
    // Python does.
    std::unique_ptr<std::unordered_map<std::string, std::size_t>> index;

    bool is_string() const { return kind == Kind::String; }
    bool is_container() const;
};

// Human-readable name of a kind ("tuple", "dict", ...) for messages.
std::string_view kind_name(Kind kind);

// Python's repr of a float: the shortest text that reads back to the same double ("1e-05", "0.1").
std::string format_float(double x);

// Python-like rendering of scalars and small containers, shortened past `max_chars`.
std::string to_display(const Value& value, std::size_t max_chars = 200);

// A placeholder that reads as one plain value, as Python prints it: a NumPy scalar ("0.5"), a
// NumPy dtype ("dtype('float64')"), a pathlib path ("PosixPath('/data/run1')"); nullopt otherwise.
std::optional<std::string> readable_placeholder(const Value& value);

// A value that reads as one item: None, a number, a string, bytes, a global, a readable
// placeholder, or a call whose arguments are plain data (<os.system('...')>).
bool is_scalar(const Value& value);
// Scalars, and tuples, lists, sets and dicts of plain data: nothing to walk into.
bool is_plain_data(const Value& value);

// A hashable key's identity ("s:name", "i:3", ...); nullopt for unhashable kinds.
std::optional<std::string> key_identity(const Value& key);

// Looks a string key up in a Dict; nullptr when absent or when `dict` is not a Dict.
const Value* dict_find(const Value& dict, std::string_view key);

// Bytes keys of legacy Python 2 pickles read as strings; other kinds yield nullopt.
std::optional<std::string> as_text(const Value& value);

} // namespace nnscope::io::pickle
